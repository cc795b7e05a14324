/**
 * Sends stored traces to a tracking server exactly once per destination, resumably:
 * 1. a trace in the destination's sent-log is never sent again;
 * 2. an `inflight` marker is written before sending and the sent-log entry after the server
 *    acknowledged, so a crash in between leaves the trace "in doubt";
 * 3. an in-doubt trace is read back from the server first and only sent again when the server
 *    does not have it (with all its spans).
 * One sync per destination at a time (a lock file); other destinations and writers are unaffected.
 */
import { MlflowHaystackError } from "../../export/errors";
import { MlflowRestClient } from "../../export/clients/mlflow-rest-client";
import type { Trace } from "../../tracing/trace";
import type { TraceClient } from "../../export/clients/trace-client";
import { exists, removeFile, writeFileAtomic } from "../../export/clients/local-store/atomic-file";
import { DestinationDir, knownDestinations, pendingIndex, type SyncDestination } from "../../export/clients/local-store/destinations";
import { tryLock } from "./dir-lock";
import type { StoredFile } from "../../export/clients/local-store/location";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";
import { withoutRecordedExperiment } from "../../export/clients/local-store/recorded-experiment";
import { toError } from "../../internal/to-error";
import { assessmentsChanged, recordSentAssessments, sendNewAssessments } from "./sync-assessments";

/**
 * Another process is syncing to the same destination.
 *
 * @example
 * try { await syncLocalTraces(store, { destination }); } catch (e) { if (e instanceof SyncBusyError) console.log(e.message); }
 */
export class SyncBusyError extends MlflowHaystackError {
  static override readonly kind: string = "SyncBusyError";
}

/** Progress of a sync, reported after every batch. */
export interface SyncProgress {
  readonly done: number;
  readonly total: number;
  readonly sent: number;
  readonly alreadyThere: number;
  readonly failed: number;
}

/** Options of {@link syncLocalTraces}. */
export interface SyncOptions {
  readonly destination: SyncDestination;
  /** Only traces marked undelivered for this destination (default false: every trace not yet sent there). */
  readonly onlyPending?: boolean;
  /** Only these trace files (names in the store's `traces/`); default every file. */
  readonly only?: ReadonlySet<string>;
  /** Default: an `MlflowRestClient` for the destination. Its `getTrace` is used to check in-doubt traces. */
  readonly client?: TraceClient;
  /** Traces per request batch (default 20). */
  readonly batchSize?: number;
  /** Deadline of each batch, ms (default 60,000). */
  readonly batchTimeoutMs?: number;
  readonly onProgress?: (progress: SyncProgress) => void;
}

/** What a sync did. */
export interface SyncResult extends SyncProgress {
  /** Assessments logged on already-synced traces, sent now (the others went inside their trace's record). */
  readonly assessmentsSent: number;
  readonly failures: readonly { readonly traceId: string; readonly error: Error }[];
}

/**
 * Sends the store's traces to `destination`, exactly once. Run it again after a failure or a
 * crash: it resumes where it stopped.
 *
 * @example
 * const result = await syncLocalTraces(new LocalStoreReader(dir), { destination: { trackingUri: "http://127.0.0.1:5000" } });
 * console.log(`${result.sent} sent, ${result.failed} failed`);
 */
export async function syncLocalTraces(store: LocalStoreReader, options: SyncOptions): Promise<SyncResult> {
  const dest = new DestinationDir(store.dir, options.destination);
  const lock = await tryLock(dest.lockPath, { staleMs: 60 * 60 * 1000 });
  if ("owner" in lock) {
    throw new SyncBusyError(
      `Another sync to ${options.destination.trackingUri} is running (pid ${lock.owner.pid} on ${lock.owner.host} since ${lock.owner.since}). ` +
        `Wait for it to finish, or delete ${dest.lockPath} if that process is gone.`,
    );
  }
  let client: TraceClient | undefined = options.client;
  try {
    // Stored traces keep every field; sync always sends full records, whatever MLFLOW_HAYSTACK_SPANS_ONLY says.
    client ??= new MlflowRestClient({
      trackingUri: options.destination.trackingUri,
      spansOnly: false,
      ...(options.destination.experiment ? { experiment: options.destination.experiment } : {}),
    });
    await dest.describe();
    const followUps: StoredFile[] = [];
    const todo = await candidates(store, dest, { onlyPending: options.onlyPending ?? false, only: options.only }, followUps);
    const result = await sendAll(store, dest, client, todo, options, followUps);
    const failures = [...result.failures];
    let assessmentsSent = 0;
    for (const file of followUps) {
      const trace = await store.readFile(file.name);
      if (trace === undefined) continue;
      try {
        assessmentsSent += await sendNewAssessments(dest, file, trace);
      } catch (err) {
        failures.push({ traceId: trace.info.traceId, error: toError(err) });
      }
    }
    return { ...result, failed: failures.length, assessmentsSent, failures };
  } finally {
    if (options.client === undefined) await client?.shutdown();
    await lock.release();
  }
}

/**
 * Sends every trace marked undelivered to the destination it was meant for.
 *
 * @example
 * const results = await syncPendingTraces(new LocalStoreReader(dir));
 */
export async function syncPendingTraces(
  store: LocalStoreReader,
  options: Omit<SyncOptions, "destination" | "onlyPending" | "client"> & { readonly clientFor?: (d: SyncDestination) => TraceClient } = {},
): Promise<{ readonly destination: SyncDestination; readonly result: SyncResult }[]> {
  const out: { destination: SyncDestination; result: SyncResult }[] = [];
  for (const dest of await knownDestinations(store.dir)) {
    const pending = await pendingIndex(store.dir);
    if (![...pending.values()].some((uris) => uris.includes(dest.destination.trackingUri))) continue;
    const client = options.clientFor?.(dest.destination);
    const result = await syncLocalTraces(store, { ...options, destination: dest.destination, onlyPending: true, ...(client ? { client } : {}) });
    out.push({ destination: dest.destination, result });
  }
  return out;
}

/** Traces to send; already-sent traces with assessments logged since go to `followUps`. */
async function candidates(
  store: LocalStoreReader,
  dest: DestinationDir,
  { onlyPending, only }: { onlyPending: boolean; only: ReadonlySet<string> | undefined },
  followUps: StoredFile[],
): Promise<StoredFile[]> {
  const out: StoredFile[] = [];
  for (const file of await store.files()) {
    if (only !== undefined && !only.has(file.name)) continue;
    if (onlyPending && !(await exists(dest.marker("pending", file.encodedId)))) continue;
    if (await exists(dest.marker("sent", file.encodedId))) {
      await removeFile(dest.marker("pending", file.encodedId));
      if (await assessmentsChanged(store, file)) followUps.push(file);
      continue;
    }
    out.push(file);
  }
  return out;
}

async function markSent(dest: DestinationDir, encodedId: string, assessmentIds: readonly string[]): Promise<void> {
  await recordSentAssessments(dest, encodedId, assessmentIds);
  await writeFileAtomic(dest.marker("sent", encodedId), new Date().toISOString());
  await removeFile(dest.marker("inflight", encodedId));
  await removeFile(dest.marker("pending", encodedId));
}

/** How long reading a trace back may take before the sync gives up on that trace for this run. */
const READ_BACK_TIMEOUT_MS = 30_000;

/** The server's copy when it already holds the trace with at least as many spans as we have. */
async function alreadyDelivered(client: TraceClient, trace: Trace): Promise<Trace | undefined> {
  if (client.getTrace === undefined) return undefined;
  const remote = await client.getTrace(trace.info.traceId, { signal: AbortSignal.timeout(READ_BACK_TIMEOUT_MS) });
  return remote !== undefined && remote.data.spans.length >= trace.data.spans.length ? remote : undefined;
}

async function sendAll(
  store: LocalStoreReader,
  dest: DestinationDir,
  client: TraceClient,
  todo: StoredFile[],
  options: SyncOptions,
  followUps: StoredFile[],
): Promise<Omit<SyncResult, "assessmentsSent">> {
  const batchSize = options.batchSize ?? 20;
  const failures: { traceId: string; error: Error }[] = [];
  let sent = 0;
  let alreadyThere = 0;
  let done = 0;
  const progress = (): SyncProgress => ({ done, total: todo.length, sent, alreadyThere, failed: failures.length });
  for (let i = 0; i < todo.length; i += batchSize) {
    const batch: { file: StoredFile; trace: Trace }[] = [];
    for (const file of todo.slice(i, i + batchSize)) {
      const trace = await store.readFile(file.name);
      if (trace === undefined) {
        done++;
        continue;
      }
      let outgoing: Trace;
      try {
        const remote = (await exists(dest.marker("inflight", file.encodedId))) ? await alreadyDelivered(client, trace) : undefined;
        if (remote !== undefined) {
          // Assessments the server's copy lacks were logged after that send: the follow-up sends them.
          const remoteIds = new Set(remote.info.assessments.map((a) => a.assessment_id));
          await markSent(dest, file.encodedId, [...remoteIds]);
          if (trace.info.assessments.some((a) => !remoteIds.has(a.assessment_id))) followUps.push(file);
          alreadyThere++;
          done++;
          continue;
        }
        // A stored trace that cannot be re-created fails alone, like one the server refuses.
        outgoing = withoutRecordedExperiment(trace);
      } catch (err) {
        failures.push({ traceId: trace.info.traceId, error: toError(err) });
        done++;
        continue;
      }
      // Sent to the destination's experiment, not to the id recorded when the trace was stored.
      outgoing.info.experimentId = undefined;
      batch.push({ file, trace: outgoing });
    }
    if (batch.length > 0) {
      await Promise.all(batch.map(({ file }) => writeFileAtomic(dest.marker("inflight", file.encodedId), new Date().toISOString())));
      const signal = AbortSignal.timeout(options.batchTimeoutMs ?? 60_000);
      let failed = new Map<string, Error>();
      try {
        const result = await client.export(
          batch.map((b) => b.trace),
          { signal },
        );
        failed = new Map(result.failures.map((f) => [f.traceId, f.error]));
      } catch (err) {
        for (const b of batch) failed.set(b.trace.info.traceId, toError(err));
      }
      for (const { file, trace } of batch) {
        const error = failed.get(trace.info.traceId);
        if (error === undefined) {
          await markSent(
            dest,
            file.encodedId,
            trace.info.assessments.map((a) => a.assessment_id),
          );
          sent++;
        } else {
          failures.push({ traceId: trace.info.traceId, error });
        }
        done++;
      }
    }
    options.onProgress?.(progress());
  }
  return { ...progress(), failures };
}
