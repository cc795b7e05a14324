/**
 * Where the local store lives and how long it keeps traces: the `mlflow-haystack-local:` tracking
 * URI, the default directory, retention limits and the file names inside the store.
 */
import { describeValue } from "../../../internal/describe-value";
import { resolve } from "node:path";
import { ConfigError } from "../../errors";

/** Tracking URI scheme of the local store. A plain path or `file:` would mean MLflow's file store. */
export const LOCAL_STORE_SCHEME = "mlflow-haystack-local:";
/** Directory used when nothing else is configured, relative to the working directory. */
export const DEFAULT_LOCAL_STORE_DIR = "mlflow-haystack-traces";
/** Traces kept at most (the newest win). */
export const DEFAULT_MAX_TRACES = 1000;
/** Traces waiting for `traces sync` kept at most (the newest win), besides `maxTraces` others. */
export const DEFAULT_MAX_PENDING_TRACES = 10_000;
/** Traces older than this many days are removed. */
export const DEFAULT_MAX_AGE_DAYS = 30;

/** Retention and location after defaults and validation. */
export interface ResolvedLocalStoreOptions {
  readonly dir: string;
  readonly maxTraces: number;
  readonly maxPendingTraces: number;
  readonly maxAgeMs: number;
}

/** Options of a local store; every field has a default (see the constants above). */
export interface LocalStoreOptions {
  /** Store directory. Default: `MLFLOW_TRACKING_URI` when it is `mlflow-haystack-local:<dir>`, else `MLFLOW_HAYSTACK_LOCAL_DIR`, else `./mlflow-haystack-traces`. */
  readonly dir?: string;
  /** Most traces kept (env `MLFLOW_HAYSTACK_LOCAL_MAX_TRACES`, default 1000), not counting those waiting for `traces sync`. */
  readonly maxTraces?: number;
  /**
   * Most traces kept for `traces sync` (env `MLFLOW_HAYSTACK_LOCAL_MAX_PENDING`, default 10000): during a long
   * outage the oldest beyond it are removed, with one warning and a count (`droppedPending`).
   */
  readonly maxPendingTraces?: number;
  /** Days a trace is kept (env `MLFLOW_HAYSTACK_LOCAL_MAX_AGE_DAYS`, default 30). */
  readonly maxAgeDays?: number;
}

/**
 * The directory of a local-store tracking URI, or `undefined` when `uri` is not one.
 * `mlflow-haystack-local:traces`, `mlflow-haystack-local:/abs/dir` and `mlflow-haystack-local:///abs/dir` are accepted.
 *
 * @example
 * parseLocalStoreUri("mlflow-haystack-local:./traces"); // "<cwd>/traces"
 * parseLocalStoreUri("http://127.0.0.1:5000");          // undefined
 */
export function parseLocalStoreUri(uri: string, cwd: string = process.cwd()): string | undefined {
  const trimmed = uri.trim();
  if (trimmed.slice(0, LOCAL_STORE_SCHEME.length).toLowerCase() !== LOCAL_STORE_SCHEME) return undefined;
  let rest = trimmed.slice(LOCAL_STORE_SCHEME.length);
  if (rest.startsWith("//")) rest = decodeURIComponent(rest.replace(/^\/\/[^/]*/, ""));
  if (rest === "") {
    throw new ConfigError(
      `Tracking URI "${trimmed}" names no directory. Expected "${LOCAL_STORE_SCHEME}<dir>", e.g. "${LOCAL_STORE_SCHEME}./${DEFAULT_LOCAL_STORE_DIR}".`,
    );
  }
  return resolve(cwd, rest);
}

/** `mlflow-haystack-local:<absolute dir>` for a directory. */
export function localStoreUri(dir: string): string {
  return `${LOCAL_STORE_SCHEME}${resolve(dir)}`;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`Expected ${name} to be a number > 0, got "${raw}". Unset it to use the default.`);
  }
  return value;
}

function positive(name: string, value: number | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigError(`Expected \`${name}\` to be a ${integer ? "positive integer" : "number > 0"}, got ${describeValue(value)}.`);
  }
  return value;
}

/** The store directory in force for `env` (see {@link LocalStoreOptions.dir}). */
export function defaultLocalStoreDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const uri = env["MLFLOW_TRACKING_URI"];
  const fromUri = uri === undefined ? undefined : parseLocalStoreUri(uri, cwd);
  if (fromUri !== undefined) return fromUri;
  const dir = env["MLFLOW_HAYSTACK_LOCAL_DIR"]?.trim();
  return resolve(cwd, dir === undefined || dir === "" ? DEFAULT_LOCAL_STORE_DIR : dir);
}

/** Applies defaults (options > environment > constants) and validates, once. */
export function resolveLocalStoreOptions(options: LocalStoreOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedLocalStoreOptions {
  const maxTraces = positive("maxTraces", options.maxTraces, true) ?? envNumber(env, "MLFLOW_HAYSTACK_LOCAL_MAX_TRACES") ?? DEFAULT_MAX_TRACES;
  const maxPendingTraces =
    positive("maxPendingTraces", options.maxPendingTraces, true) ?? envNumber(env, "MLFLOW_HAYSTACK_LOCAL_MAX_PENDING") ?? DEFAULT_MAX_PENDING_TRACES;
  const maxAgeDays = positive("maxAgeDays", options.maxAgeDays, false) ?? envNumber(env, "MLFLOW_HAYSTACK_LOCAL_MAX_AGE_DAYS") ?? DEFAULT_MAX_AGE_DAYS;
  const dir = options.dir === undefined ? defaultLocalStoreDir(env) : resolve(options.dir);
  return { dir, maxTraces: Math.floor(maxTraces), maxPendingTraces: Math.floor(maxPendingTraces), maxAgeMs: maxAgeDays * 24 * 60 * 60 * 1000 };
}

/** A trace id as a portable file name part: `[A-Za-z0-9._-]` kept, other bytes as `=HH`. */
export function encodeTraceId(traceId: string): string {
  let out = "";
  for (const byte of Buffer.from(traceId, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9._-]/.test(ch) ? ch : `=${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

const TRACE_FILE = /^(\d{19})-(.+)\.json$/;
const MAX_NS = 9_999_999_999_999_999_999n;

/**
 * `<start time in ns, 19 digits>-<encoded id>.json`: names sort oldest first without reading files.
 * `startNs` is the root span's start (ns precision keeps traces of one millisecond in order).
 */
export function traceFileName(traceId: string, startNs: bigint): string {
  const ns = startNs < 0n ? 0n : startNs > MAX_NS ? MAX_NS : startNs;
  return `${ns.toString().padStart(19, "0")}-${encodeTraceId(traceId)}.json`;
}

/** Parses a trace file name; `undefined` for temp files and anything else. */
export function parseTraceFileName(name: string): { readonly requestTimeMs: number; readonly startNs: bigint; readonly encodedId: string } | undefined {
  const match = TRACE_FILE.exec(name);
  if (match === null) return undefined;
  const startNs = BigInt(match[1] as string);
  return { requestTimeMs: Number(startNs / 1_000_000n), startNs, encodedId: match[2] as string };
}

/** A trace file as named in the store. */
export interface StoredFile {
  readonly name: string;
  readonly requestTimeMs: number;
  readonly startNs: bigint;
  readonly encodedId: string;
}

/** Oldest first, by the start time encoded in the name. */
export function byStart(a: StoredFile, b: StoredFile): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
