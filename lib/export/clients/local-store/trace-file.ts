/**
 * Reads one entry of a store's `traces/` folder without trusting it: the folder lives in the
 * working directory by default, and anything can end up there under a trace file's name. A FIFO
 * would block a plain read forever, a directory or a symlink loop would throw, a dangling symlink
 * would look like a trace deleted meanwhile, and a file larger
 * than a string can hold would exhaust memory — each is skipped with the reason instead.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from "node:fs";
import { lstat, open } from "node:fs/promises";

/** Larger trace files are not read (V8 strings stop at ~512 MiB; a real trace is far smaller). */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

/** The text of a trace file, `undefined` when it vanished, or why it was skipped. */
export type TraceFileRead = { readonly text: string } | { readonly skipped: string } | undefined;

const MIB = 1024 * 1024;

const DANGLING: TraceFileRead = { skipped: "a symlink to a missing file" };

/** ENOENT on open: the entry vanished (a trace deleted meanwhile) unless a symlink is still there. */
async function missingEntry(path: string): Promise<TraceFileRead> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isSymbolicLink() === true ? DANGLING : undefined;
}

function missingEntrySync(path: string): TraceFileRead {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  return stats?.isSymbolicLink() === true ? DANGLING : undefined;
}

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** Opens without blocking (a FIFO with no writer returns at once), then checks what it opened. */
export async function readTraceFile(path: string, maxBytes: number = MAX_TRACE_FILE_BYTES): Promise<TraceFileRead> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return missingEntry(path);
    return { skipped: `unreadable: ${code ?? (err as Error).message}` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { skipped: kindOf(stats) };
    if (stats.size > maxBytes) return { skipped: `${Math.round(stats.size / MIB)} MiB, over the ${Math.round(maxBytes / MIB)} MiB limit` };
    return { text: await handle.readFile("utf8") };
  } catch (err) {
    return { skipped: `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The synchronous twin of {@link readTraceFile}, with the same guards. Search reads thousands of
 * small files in short slices with it: on a busy machine each asynchronous read waits for the
 * thread pool, which made a scan of 10,000 files 5-10x slower than reading them in place.
 */
export function readTraceFileSync(path: string, maxBytes: number = MAX_TRACE_FILE_BYTES): TraceFileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return missingEntrySync(path);
    return { skipped: `unreadable: ${code ?? (err as Error).message}` };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { skipped: kindOf(stats) };
    if (stats.size > maxBytes) return { skipped: `${Math.round(stats.size / MIB)} MiB, over the ${Math.round(maxBytes / MIB)} MiB limit` };
    return { text: readFileSync(fd, "utf8") };
  } catch (err) {
    return { skipped: `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
