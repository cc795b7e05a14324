/** Fakes for the batch processor specs: Trace-like objects and a client the test answers by hand. */
import type { BatchExportClient } from "../../../lib/export/batch/processor";
import type { ExportFailure, ExportResult } from "../../../lib/export/clients/trace-client";

/** The least a trace offers the processor. */
export interface FakeTrace {
  readonly info: { readonly traceId: string };
}

export function fakeTrace(id: string): FakeTrace {
  return { info: { traceId: id } };
}

export function fakeTraces(prefix: string, n: number): FakeTrace[] {
  return Array.from({ length: n }, (_, i) => fakeTrace(`${prefix}${i}`));
}

/** One export call as the client saw it, with the means to answer it. */
export interface ExportCall {
  readonly ids: string[];
  readonly signal: AbortSignal;
  /** `Date.now()` when the call started (fake time under jest fake timers). */
  readonly at: number;
  ok(): void;
  fail(failures: ExportFailure[]): void;
  reject(error: unknown): void;
}

/** A client whose calls stay pending until the test answers them, unless `auto` answers first. */
export class ManualClient implements BatchExportClient<FakeTrace> {
  readonly calls: ExportCall[] = [];
  shutdowns = 0;

  constructor(private readonly auto?: (call: ExportCall, index: number) => void) {}

  export(traces: readonly FakeTrace[], options: { signal: AbortSignal }): Promise<ExportResult> {
    return new Promise<ExportResult>((resolve, reject) => {
      const call: ExportCall = {
        ids: traces.map((t) => t.info.traceId),
        signal: options.signal,
        at: Date.now(),
        ok: () => resolve({ failures: [] }),
        fail: (failures) => resolve({ failures }),
        reject,
      };
      this.calls.push(call);
      this.auto?.(call, this.calls.length - 1);
    });
  }

  async shutdown(): Promise<void> {
    this.shutdowns += 1;
  }

  /** The ids of every call, in order. */
  get batches(): string[][] {
    return this.calls.map((c) => c.ids);
  }
}

/** A retryable failure for every trace of a call. */
export function retryableFailures(call: ExportCall, retryAfterMs?: number): ExportFailure[] {
  return call.ids.map((traceId) => ({
    traceId,
    error: new Error("HTTP 503"),
    retryable: true,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }));
}

/** Runs due timers and immediates (and the promise jobs between them) under jest fake timers. */
export async function tick(ms = 0): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}
