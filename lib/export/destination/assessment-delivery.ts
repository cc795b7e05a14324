/**
 * Keeps assessments logged on a completed trace from racing its export. While a batch is being
 * delivered, changes to its traces' assessments wait in a queue; once the destination acknowledged
 * the batch they run against it in order (the server, the local store file), and for a trace whose
 * delivery failed they are applied to the trace itself so the retry carries them. The bookkeeping
 * is one object per batch: an exported trace costs one slot on itself (no WeakMap entry).
 */
import { DELIVERY_SLOT, type Trace } from "../../tracing/trace";
import { ArrayAssessments, type AssessmentStore } from "../mlflow/assessment-store";

/** One change to a trace's assessments, run against wherever they live. */
export type AssessmentOp<T> = (store: AssessmentStore) => Promise<T>;

/** A queued change: settles its caller's promise, never rejects itself. */
type Queued = (store: () => AssessmentStore) => Promise<void>;

/** A batch on its way (`sending`) or acknowledged (`delivered`). */
export interface BatchDelivery {
  phase: "sending" | "delivered";
  readonly ops: { readonly trace: Trace; readonly run: Queued }[];
  storeFor: ((trace: Trace) => AssessmentStore) | undefined;
  /** Changes after delivery run one after another, so an update never overtakes the create it follows. */
  chain: Promise<void>;
}

/*
 * Each trace's batch sits in the slot the Trace class declares (`DELIVERY_SLOT`): a WeakMap entry per exported
 * trace cost ~15% of the CPU of a 1-span trace, plus the garbage collector's work on the ephemerons.
 */
const states = {
  get: (trace: Trace): BatchDelivery | undefined => trace[DELIVERY_SLOT] as BatchDelivery | undefined,
  set: (trace: Trace, batch: BatchDelivery): void => {
    trace[DELIVERY_SLOT] = batch;
  },
  delete: (trace: Trace): void => {
    trace[DELIVERY_SLOT] = undefined;
  },
};
const settled = Promise.resolve();

/** Called by the exporter before a batch goes to its destination. */
export function beginDelivery(traces: readonly Trace[]): BatchDelivery {
  const batch: BatchDelivery = { phase: "sending", ops: [], storeFor: undefined, chain: settled };
  for (const trace of traces) if (states.get(trace)?.phase !== "delivered") states.set(trace, batch);
  return batch;
}

/**
 * Called by the exporter with the batch's outcome; settles once the changes queued while it was
 * sent have run, so `flushTraces()` waits for them too. Never rejects.
 */
export async function endDelivery(
  batch: BatchDelivery,
  traces: readonly Trace[],
  failedIds: ReadonlySet<string>,
  storeFor: (trace: Trace) => AssessmentStore,
): Promise<void> {
  const failed = new Set<Trace>();
  if (failedIds.size > 0) {
    for (const trace of traces) {
      if (states.get(trace) !== batch || !failedIds.has(trace.info.traceId)) continue;
      states.delete(trace);
      failed.add(trace);
    }
  }
  batch.phase = "delivered";
  batch.storeFor = storeFor;
  if (batch.ops.length === 0) return;
  const run = async (): Promise<void> => {
    for (const { trace, run: op } of batch.ops) {
      const onTrace = failed.has(trace) ? new ArrayAssessments(trace.info.assessments) : undefined;
      await op(() => onTrace ?? storeFor(trace));
    }
  };
  batch.chain = run();
  await batch.chain;
}

/**
 * Runs `op` for a completed trace held in memory: on the trace itself before its export, after
 * the export when it is being exported, against its destination once delivered.
 */
export function runForTrace<T>(trace: Trace, op: AssessmentOp<T>): Promise<T> {
  const state = states.get(trace);
  if (state === undefined) return op(new ArrayAssessments(trace.info.assessments));
  return new Promise<T>((resolve, reject) => {
    const run: Queued = async (store) => {
      try {
        resolve(await op(store()));
      } catch (error) {
        reject(error);
      }
    };
    if (state.phase === "sending") state.ops.push({ trace, run });
    else state.chain = state.chain.then(() => run(() => (state.storeFor as (t: Trace) => AssessmentStore)(trace)));
  });
}

/** Whether the trace is being exported right now (a change logged now is sent after it). */
export function isBeingDelivered(trace: Trace): boolean {
  return states.get(trace)?.phase === "sending";
}
