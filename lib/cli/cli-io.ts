/**
 * What the CLI writes to and reads from, injectable so tests run it in-process: output streams,
 * environment, and the colour decision (TTY, `NO_COLOR`, `FORCE_COLOR`).
 */

/** A writable text stream (process.stdout fits). */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Streams and environment of one CLI run. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Exit codes (documented in the README). */
export const ExitCode = {
  OK: 0,
  /** I/O, network or server errors; a sync that left traces unsent. */
  RUNTIME_ERROR: 1,
  /** Unknown command or option, bad value, unsupported combination. */
  USAGE_ERROR: 2,
  /** The trace id (or any trace, for `--last`) does not exist. */
  NOT_FOUND: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one line, with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Colour on a TTY; `NO_COLOR` (any value) turns it off, `FORCE_COLOR` (not `0`/`false`) on. */
export function colorEnabled(stream: CliStream, env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return !(force === "0" || force.toLowerCase() === "false");
  return stream.isTTY === true;
}

/** ANSI styles that become identity functions when colour is off. */
export interface Palette {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const style = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    const id = (s: string): string => s;
    return { red: id, green: id, yellow: id, cyan: id, dim: id, bold: id };
  }
  return { red: style(31, 39), green: style(32, 39), yellow: style(33, 39), cyan: style(36, 39), dim: style(2, 22), bold: style(1, 22) };
}
