/**
 * Benchmark workers: each SDK under comparison runs in a child process of its own (no shared heap,
 * JIT state, async hooks or global context manager), and the parent asks one worker at a time to
 * run one round, so rounds still alternate between SDKs.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { Sample } from "./interleave";

interface Request {
  readonly id: number;
  readonly task: string;
  readonly n: number;
}
type Reply = { readonly id: number; readonly sample: Sample } | { readonly id: number; readonly error: string };

/** A child process that runs benchmark rounds on request. */
export interface Worker {
  /** Runs `task` with `n` operations in the child; resolves with the child's figures. */
  run(task: string, n: number): Promise<Sample>;
  stop(): Promise<void>;
}

/** Forks `file` with `args` (with `--expose-gc`, on this Node and this loader). */
export function startWorker(file: string, args: readonly string[]): Worker {
  const execArgv = [...process.execArgv.filter((a) => a !== "--expose-gc"), "--expose-gc"];
  const child: ChildProcess = fork(file, [...args], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve(s: Sample): void; reject(e: Error): void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("message", (message: Reply) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if ("error" in message) waiter?.reject(new Error(`worker ${args.join(" ")}: ${message.error}`));
    else waiter?.resolve(message.sample);
  });
  child.once("exit", (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`worker ${args.join(" ")} exited (${String(code)})`));
    pending.clear();
  });
  return {
    run: (task, n) =>
      new Promise<Sample>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, task, n } satisfies Request);
      }),
    stop: async () => {
      child.disconnect();
      await exited;
    },
  };
}

/** In the child: answers the parent's requests with `tasks[task](n)` until the parent disconnects. */
export function serveWorker(tasks: Readonly<Record<string, (n: number) => Promise<Sample>>>): void {
  process.on("message", (request: Request) => {
    const task = tasks[request.task];
    const reply = (message: Reply): void => void process.send?.(message);
    if (task === undefined) {
      reply({ id: request.id, error: `unknown task ${request.task}` });
      return;
    }
    task(request.n).then(
      (sample) => reply({ id: request.id, sample }),
      (error: unknown) => reply({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
