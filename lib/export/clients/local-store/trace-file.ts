/**
 * Reads one entry of a store's `traces/` folder without trusting it: the folder lives in the
 * working directory by default, and anything can end up there under a trace file's name. A FIFO
 * would block a plain read forever, a directory or a symlink loop would throw, and a file larger
 * than a string can hold would exhaust memory — each is skipped with the reason instead.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";

/** Larger trace files are not read (V8 strings stop at ~512 MiB; a real trace is far smaller). */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

/** The text of a trace file, `undefined` when it vanished, or why it was skipped. */
export type TraceFileRead = { readonly text: string } | { readonly skipped: string } | undefined;

const MIB = 1024 * 1024;

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
    if (code === "ENOENT") return undefined;
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
