/**
 * Keeps assessments logged on a completed trace from racing its export. While a trace is being
 * delivered, changes to its assessments wait in a queue; once the destination acknowledged the
 * trace they run against it in order (the server, the local store file), and if the delivery
 * failed they are applied to the trace itself so the retry carries them.
 */
import type { Trace } from "../../tracing/trace";
import { ArrayAssessments, type AssessmentStore } from "../mlflow/assessment-store";

/** One change to a trace's assessments, run against wherever they live. */
export type AssessmentOp<T> = (store: AssessmentStore) => Promise<T>;

/** A queued change: settles its caller's promise, never rejects itself. */
type Queued = (store: () => AssessmentStore) => Promise<void>;

interface Sending {
  readonly phase: "sending";
  readonly ops: Queued[];
}

interface Delivered {
  readonly phase: "delivered";
  /** Made on first use: most delivered traces never get an assessment afterwards. */
  readonly store: () => AssessmentStore;
  /** Changes run one after another, so an update never overtakes the create it follows. */
  chain: Promise<void>;
}

const states = new WeakMap<Trace, Sending | Delivered>();
const settled = Promise.resolve();

/** Called by the exporter before a batch goes to its destination. */
export function beginDelivery(traces: readonly Trace[]): void {
  for (const trace of traces) {
    if (states.get(trace)?.phase !== "delivered") states.set(trace, { phase: "sending", ops: [] });
  }
}

/**
 * Called by the exporter with the batch's outcome; settles once the queued changes of the batch's
 * traces ran, so `flushTraces()` waits for them too. Never rejects.
 */
export async function endDelivery(
  traces: readonly Trace[],
  failedIds: ReadonlySet<string>,
  storeFor: (trace: Trace) => AssessmentStore,
): Promise<void> {
  const runs: Promise<void>[] = [];
  for (const trace of traces) {
    const state = states.get(trace);
    if (state?.phase !== "sending") continue;
    if (failedIds.size > 0 && failedIds.has(trace.info.traceId)) {
      states.delete(trace);
      const onTrace = new ArrayAssessments(trace.info.assessments);
      if (state.ops.length > 0) runs.push(runAll(state.ops, () => onTrace));
      continue;
    }
    let made: AssessmentStore | undefined;
    const store = (): AssessmentStore => (made ??= storeFor(trace));
    const delivered: Delivered = { phase: "delivered", store, chain: state.ops.length === 0 ? settled : runAll(state.ops, store) };
    states.set(trace, delivered);
    if (state.ops.length > 0) runs.push(delivered.chain);
  }
  await Promise.all(runs);
}

/**
 * Runs `op` for a completed trace held in memory: on the trace itself before its export, after
 * the export when it is being exported, against its destination once delivered.
 */
export function runForTrace<T>(trace: Trace, op: AssessmentOp<T>): Promise<T> {
  const state = states.get(trace);
  if (state === undefined) return op(new ArrayAssessments(trace.info.assessments));
  return new Promise<T>((resolve, reject) => {
    const queued: Queued = async (store) => {
      try {
        resolve(await op(store()));
      } catch (error) {
        reject(error);
      }
    };
    if (state.phase === "sending") state.ops.push(queued);
    else state.chain = state.chain.then(() => queued(state.store));
  });
}

/** Whether the trace is being exported right now (a change logged now is sent after it). */
export function isBeingDelivered(trace: Trace): boolean {
  return states.get(trace)?.phase === "sending";
}

async function runAll(ops: readonly Queued[], store: () => AssessmentStore): Promise<void> {
  for (const op of ops) await op(store);
}
