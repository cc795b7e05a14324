/**
 * Crash-safe file writes: the content goes to a temp file in the same directory, is fsynced, and
 * is renamed over the target, so a reader sees the old file or the new one, never a torn one.
 * Temp files start with `.tmp-`; readers skip them and pruning removes stale ones.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { open, rename, unlink, mkdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Prefix of temp files; nothing else in the store starts with it. */
export const TEMP_PREFIX = ".tmp-";

function tempPath(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}-${basename(target)}`);
}

/**
 * Writes `data` to `target` atomically (temp file, fsync, rename), creating the directory.
 *
 * @example
 * await writeFileAtomic("/tmp/store/traces/x.json", JSON.stringify(trace));
 */
export async function writeFileAtomic(target: string, data: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPath(target);
  let renamed = false;
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

/** The synchronous twin of {@link writeFileAtomic}, for `process.on("exit")` where nothing async runs. */
export function writeFileAtomicSync(target: string, data: string): void {
  fs.mkdirSync(dirname(target), { recursive: true });
  const temp = tempPath(target);
  let renamed = false;
  try {
    const fd = fs.openSync(temp, "wx", 0o644);
    try {
      fs.writeFileSync(fd, data, "utf8");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  }
}

/** Makes renames in `dir` durable (best effort: some platforms cannot fsync a directory). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems refuse; the rename itself is still atomic.
  }
}

/** Removes a file; a missing file is fine (another process may have removed it first). */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Names in `dir`, or `[]` when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

/** True when `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await fs.promises.access(path);
    return true;
  } catch {
    return false;
  }
}
