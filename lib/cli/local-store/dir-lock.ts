/**
 * An exclusive lock between processes: a file created with `O_EXCL` holding the owner's pid and
 * host. A lock whose owner is dead (same host) or that is older than `staleMs` is taken over.
 */
import { hostname } from "node:os";
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/** Who holds a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** A held lock; `release()` is idempotent. */
export interface HeldLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock at `path`, or returns the current owner when someone alive holds it.
 *
 * @example
 * const lock = await tryLock(".../lock", { staleMs: 3_600_000 });
 * if ("owner" in lock) throw new Error(`busy: pid ${lock.owner.pid}`);
 * try { ... } finally { await lock.release(); }
 */
export async function tryLock(path: string, options: { readonly staleMs: number }): Promise<HeldLock | { readonly owner: LockOwner }> {
  await mkdir(dirname(path), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = await readOwner(path);
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    const dead = owner !== undefined && owner.host === me.host && !alive(owner.pid);
    if (!dead && age < options.staleMs && owner !== undefined) return { owner };
    if (owner === undefined && age < 5_000) return { owner: { pid: 0, host: "?", since: "just now" } };
    await unlink(path).catch(() => undefined);
  }
  return { owner: (await readOwner(path)) ?? { pid: 0, host: "?", since: "?" } };
}
