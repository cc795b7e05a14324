/**
 * `traces list` over the local store: the newest traces, one summary each, with the destinations
 * each still waits to be delivered to.
 */
import type { ExperimentSpec } from "../../export/mlflow/experiments";
import { recordedExperiment } from "../../export/clients/local-store/recorded-experiment";
import { pendingIndex } from "../../export/clients/local-store/destinations";
import type { LocalStoreReader, OnSkip } from "../../export/clients/local-store/reader";
import type { Cost, TokenUsage, Trace, TraceState } from "../../tracing/trace";

/** The one-line view of a stored trace that `traces list` prints (and `--json` writes). */
export interface TraceSummary {
  readonly traceId: string;
  /** `mlflow.traceName` tag, else the root span's name. */
  readonly name: string;
  readonly state: TraceState;
  /** ms since the epoch. */
  readonly requestTime: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly tokenUsage: TokenUsage | undefined;
  readonly cost: Cost | undefined;
  /** Destinations (tracking URIs) this trace still waits to be delivered to. */
  readonly pendingFor: readonly string[];
  /** The experiment the code named when the trace was recorded (`mlflow_haystack.experiment`), if any. */
  readonly experiment: ExperimentSpec | undefined;
}

/** Summarises a trace read from the store. */
export function summarize(trace: Trace, pendingFor: readonly string[] = []): TraceSummary {
  const info = trace.info;
  return {
    traceId: info.traceId,
    name: info.tags["mlflow.traceName"] ?? trace.rootSpan?.name ?? "",
    state: info.state,
    requestTime: info.requestTime,
    durationMs: info.executionDuration,
    spanCount: trace.data.spans.length,
    tokenUsage: info.tokenUsage,
    cost: info.cost,
    pendingFor,
    experiment: recordedExperiment(trace),
  };
}

/** Options of {@link listTraces}. */
export interface ListTracesOptions {
  readonly limit?: number;
  readonly offset?: number;
  /** Gets the entries that are not trace files (else they are reported once in diagnostics). */
  readonly onSkip?: OnSkip;
}

/**
 * Summaries, newest first. Unreadable files are skipped.
 *
 * @example
 * const [newest] = await listTraces(new LocalStoreReader(dir), { limit: 1 });
 */
export async function listTraces(reader: LocalStoreReader, options: ListTracesOptions = {}): Promise<TraceSummary[]> {
  const files = (await reader.files()).reverse();
  const offset = options.offset ?? 0;
  const slice = files.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  const pending = await pendingIndex(reader.dir);
  const out: TraceSummary[] = [];
  for (const file of slice) {
    const trace = await reader.readFile(file.name, options.onSkip);
    if (trace !== undefined) out.push(summarize(trace, pending.get(file.encodedId) ?? []));
  }
  return out;
}
