/**
 * Flushing at process exit. Node emits `beforeExit` when the event loop empties: asynchronous
 * work started there keeps the process alive, so queued traces can still be sent. `exit`, signals
 * and `process.exit()` cannot wait for anything: there only synchronous hand-off is possible,
 * which is why serverless code must `await flushTraces()` itself.
 */
import { diag } from "./diagnostics";

/** What a batch processor offers the exit hooks. */
export interface ExitParticipant {
  /** True while traces are held (queued, in flight or waiting to retry). */
  hasPendingWork(): boolean;
  /** Flushes with a deadline; resolves to the number of traces still pending afterwards. Never rejects. */
  flushAtExit(): Promise<number>;
  /** Synchronous last chance at `exit`: hand undelivered traces over and report them. */
  abandonAtExit(): void;
}

/** More rounds than this means something enqueues at every `beforeExit`; stop feeding the loop. */
const MAX_EXIT_ROUNDS = 10;

const participants = new Set<ExitParticipant>();
const reporters = new Set<() => void>();
let flushing = false;
let rounds = 0;
let gaveUp = false;
let exiting = false;
// First in line, so hooks that run in other `exit` listeners already see it.
process.prependListener("exit", () => {
  exiting = true;
});

/** True once the process emits `exit`: from then on only synchronous work can finish. */
export function isProcessExiting(): boolean {
  return exiting;
}

let ending = false;

/** True once the event loop has emptied (`beforeExit` flush) or the process exits: the app is done. */
export function isProcessEnding(): boolean {
  return ending || exiting;
}

function onBeforeExit(): void {
  if (flushing || gaveUp) return;
  const pending = [...participants].filter((p) => p.hasPendingWork());
  if (pending.length === 0) return;
  ending = true;
  rounds += 1;
  if (rounds > MAX_EXIT_ROUNDS) {
    gaveUp = true;
    diag("warn", `stopped flushing at exit after ${MAX_EXIT_ROUNDS} rounds; traces keep arriving`);
    return;
  }
  flushing = true;
  void Promise.all(pending.map((p) => p.flushAtExit().catch(() => 1))).then((left) => {
    flushing = false;
    // A flush that hit its deadline will not do better next round: let the process end.
    if (left.some((n) => n > 0)) gaveUp = true;
  });
}

function onExit(): void {
  for (const p of participants) {
    try {
      p.abandonAtExit();
    } catch {
      // Nothing may throw out of an exit handler.
    }
  }
  for (const report of reporters) {
    try {
      report();
    } catch {
      // Nothing may throw out of an exit handler.
    }
  }
}
// Always installed, so reporters run after every participant has handed its traces over,
// whichever was registered first.
process.on("exit", onExit);

/**
 * Runs `report` at `exit`, after every processor has handed its undelivered traces over; it must
 * be synchronous. Returns the function that removes it.
 *
 * @example
 * const remove = onExitReport(() => diag("warn", "3 trace(s) kept for traces sync"));
 */
export function onExitReport(report: () => void): () => void {
  reporters.add(report);
  return () => void reporters.delete(report);
}

/**
 * Adds a processor to the exit hooks, installing the `beforeExit` listener on first use and
 * removing it when the last participant leaves. Returns the function that removes this one.
 *
 * @example
 * const unregister = registerExitFlush(processor); // ...later, at shutdown: unregister();
 */
export function registerExitFlush(participant: ExitParticipant): () => void {
  if (participants.size === 0) process.on("beforeExit", onBeforeExit);
  participants.add(participant);
  return () => {
    if (!participants.delete(participant) || participants.size > 0) return;
    process.off("beforeExit", onBeforeExit);
  };
}
