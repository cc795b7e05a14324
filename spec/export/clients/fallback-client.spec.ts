import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BatchProcessor } from "../../../lib/export/batch/processor";
import { FallbackClient } from "../../../lib/export/clients/fallback-client";
import { encodeTraceId } from "../../../lib/export/clients/local-store/location";
import { LocalStore } from "../../../lib/export/clients/local-store/store";
import { LocalStoreReader } from "../../../lib/export/clients/local-store/reader";
import { pendingIndex } from "../../../lib/export/clients/local-store/destinations";
import { MemoryClient } from "../../../lib/export/clients/memory-client";
import type { TraceClient } from "../../../lib/export/clients/trace-client";
import { ExportError, MlflowApiError } from "../../../lib/export/errors";
import type { Trace } from "../../../lib/tracing/trace";
import { makeTrace } from "./local-store/store.fixtures";

const destination = { trackingUri: "http://127.0.0.1:9", experiment: { name: "fallback" } };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fallback-client-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function failing(error: Error): TraceClient {
  return {
    export: async (traces: readonly Trace[]) => ({
      failures: traces.map((t) => ({ traceId: t.info.traceId, error, retryable: error instanceof ExportError && error.retryable })),
    }),
    shutdown: async () => undefined,
  };
}

describe("FallbackClient", () => {
  it("sends through the primary client and reads traces back from it", async () => {
    const memory = new MemoryClient();
    const client = new FallbackClient(memory, new LocalStore({ dir }), { destination });
    const trace = makeTrace({ name: "delivered" });
    await expect(client.export([trace], { signal: new AbortController().signal })).resolves.toEqual({ failures: [] });
    expect(memory.traces).toEqual([trace]);
    await expect(client.getTrace(trace.info.traceId)).resolves.toBe(trace);
    expect(await new LocalStoreReader(dir).count()).toBe(0);
  });

  it("keeps what the batch processor gives up on in the local store, pending for the destination, before a flush returns", async () => {
    const store = new LocalStore({ dir });
    const kept: number[] = [];
    const report = { kept: (count: number) => kept.push(count), keptFromCollector: () => undefined, lost: () => undefined };
    const rejected = new MlflowApiError("bad request", { status: 400, code: "INVALID_PARAMETER_VALUE", serverMessage: "" });
    const processor = new BatchProcessor(new FallbackClient(failing(rejected), store, { destination, report }), { flushOnExit: false });
    const traces = [makeTrace({ name: "a" }), makeTrace({ name: "b" })];
    for (const trace of traces) processor.enqueue(trace);

    const result = await processor.flush();

    expect(result).toMatchObject({ exported: 0, failed: 2, pending: 0 });
    expect(kept).toEqual([2]);
    const pending = await pendingIndex(dir);
    for (const trace of traces) expect(pending.get(encodeTraceId(trace.info.traceId))).toEqual([destination.trackingUri]);
    await expect(store.getTrace(traces[0]!.info.traceId)).resolves.toMatchObject({ info: { traceId: traces[0]!.info.traceId } });
    await processor.shutdown();
  });
});
