/**
 * Where traces go: the tracking URI and the experiment. `setTrackingUri` validates at once;
 * `setExperiment` is resolved lazily (on first export, or when its promise is awaited) and cached.
 * State lives in the global registry's `destination` slot, so duplicate installs of the package share it.
 */
import { describeValue } from "../../internal/describe-value";
import { reportOnce } from "../../internal/diagnostics";
import { ENV_FLAG_SPELLINGS, envFlag } from "../../internal/env-flag";
import { databricksAuth, resolveMlflowAuth } from "../mlflow/auth";
import { resolveDatabricksTarget } from "../mlflow/databricks-config";
import { ConfigError } from "../errors";
import { resolveExperiment, type ExperimentSpec } from "../mlflow/experiments";
import { MlflowApi, type MlflowConnection } from "../mlflow/api";
import { DEFAULT_EXPERIMENT_ID, type Experiment } from "../mlflow/rest-spec";
import { LazyPromise } from "../../internal/lazy-promise";
import { parseLocalStoreUri } from "../clients/local-store/location";
import { redactUrl } from "../../internal/redaction";
import { globalSlot } from "../../internal/global-registry";

/** A tracking URI the SDK can talk to. */
export type TrackingTarget =
  | { readonly kind: "mlflow"; readonly uri: string; readonly baseUrl: string }
  | { readonly kind: "databricks"; readonly uri: string; readonly profile: string | undefined };

interface ExportConfigState {
  trackingUri: string | undefined;
  experiment: ExperimentSpec | undefined;
  /** Resolved experiments by `<tracking uri>\n<spec>`; failures are not kept. */
  readonly resolved: Map<string, Promise<Experiment>>;
}

const RESOLVE_TIMEOUT_MS = 30_000;

/** Schemes of the backend stores `mlflow server --backend-store-uri` takes (SQLAlchemy dialects and `file:`). */
const MLFLOW_STORE_SCHEMES: ReadonlySet<string> = new Set(["file", "sqlite", "postgresql", "postgres", "mysql", "mssql", "oracle"]);

let slot: ExportConfigState | undefined;

function state(): ExportConfigState {
  return (slot ??= globalSlot("destination", (): ExportConfigState => ({ trackingUri: undefined, experiment: undefined, resolved: new Map() })));
}

/** Options of {@link parseTrackingUri}. */
export interface ParseTrackingUriOptions {
  /** The CLI option the URI came from (`--tracking-uri`, `--to`): errors then say to pass it rather than call `setTrackingUri`. */
  readonly option?: string;
}

/**
 * Checks a tracking URI and says what it points at. Throws {@link ConfigError} for URIs this SDK
 * cannot serve (`sqlite:`, `file:`, `postgresql:` ...): run `mlflow server` on them instead.
 *
 * @example
 * parseTrackingUri("http://127.0.0.1:5000"); // { kind: "mlflow", baseUrl: "http://127.0.0.1:5000" }
 */
export function parseTrackingUri(uri: string, options: ParseTrackingUriOptions = {}): TrackingTarget {
  const trimmed = uri.trim();
  if (trimmed === "databricks") return { kind: "databricks", uri: trimmed, profile: undefined };
  const dbx = /^databricks:\/\/([^/?#]*)$/.exec(trimmed);
  if (dbx !== null) return { kind: "databricks", uri: trimmed, profile: dbx[1] === "" ? undefined : dbx[1] };
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ConfigError(`Tracking URI "${redactUrl(trimmed)}" is not a valid URL. Expected e.g. "http://127.0.0.1:5000".`);
    }
    if (url.username !== "" || url.password !== "") {
      throw new ConfigError(
        `Tracking URI "${redactUrl(trimmed)}" contains credentials. Remove them from the URI and set ` +
          `MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) instead.`,
      );
    }
    url.search = "";
    url.hash = "";
    return { kind: "mlflow", uri: trimmed, baseUrl: url.href.replace(/\/+$/, "") };
  }
  const shown = redactUrl(trimmed);
  if (/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\]):\d{1,5}(?:[/?#].*)?$/i.test(trimmed)) {
    throw new ConfigError(`Tracking URI "${shown}" has no scheme: use "http://${shown}" (or https://) for an MLflow server.`);
  }
  // A scheme that names no MLflow store either (a typo such as htp://, an OTLP endpoint): running `mlflow server` on it is no advice.
  const scheme = /^([a-z][a-z0-9.-]+)(?:\+[a-z0-9.-]+)?:/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && !MLFLOW_STORE_SCHEMES.has(scheme)) {
    throw new ConfigError(
      `Tracking URI "${shown}": scheme "${scheme}" is not one this SDK talks to: use http://, https://, databricks, ` +
        `databricks://<profile> or mlflow-haystack-local:<dir>${options.option === undefined ? ", or leave the tracking URI unset for the local store" : ""}.`,
    );
  }
  throw new ConfigError(
    `Tracking URI "${shown}" is not supported: this SDK talks to an MLflow tracking server over HTTP ` +
      `(http://, https://, databricks, databricks://<profile>). To use that store, run ` +
      `\`mlflow server --backend-store-uri ${shown}\` and ` +
      (options.option === undefined
        ? `call setTrackingUri("http://127.0.0.1:5000") (or set MLFLOW_TRACKING_URI). Leave the tracking URI unset to use the local store.`
        : `pass ${options.option} http://127.0.0.1:5000.`),
  );
}

/**
 * Sends traces to an MLflow server (`http(s)://...`), Databricks (`databricks`,
 * `databricks://<profile>`) or a local store directory (`mlflow-haystack-local:<dir>`). `undefined` goes back to `MLFLOW_TRACKING_URI` or the local store.
 * Throws {@link ConfigError} for unsupported URIs.
 *
 * @example
 * setTrackingUri("http://127.0.0.1:5000");
 */
export function setTrackingUri(uri: string | undefined): void {
  if (uri !== undefined && typeof uri !== "string") {
    throw new ConfigError(`setTrackingUri expects a string such as "http://127.0.0.1:5000" (or undefined), got ${describeValue(uri)}.`);
  }
  if (uri === undefined || uri.trim() === "") {
    state().trackingUri = undefined;
    return;
  }
  if (parseLocalStoreUri(uri) !== undefined) {
    state().trackingUri = uri.trim();
    return;
  }
  const target = parseTrackingUri(uri);
  if (target.kind === "databricks") resolveDatabricksTarget(target.profile);
  state().trackingUri = target.uri;
}

/**
 * The tracking URI in force: `setTrackingUri` > `MLFLOW_TRACKING_URI` > `undefined` (local store).
 *
 * @example
 * if (getTrackingUri() === undefined) console.log("traces stay in the local store");
 */
export function getTrackingUri(): string | undefined {
  const uri = state().trackingUri ?? process.env["MLFLOW_TRACKING_URI"];
  return uri === undefined || uri.trim() === "" ? undefined : uri.trim();
}

/** Default per-request silence limit: a hung request fails (and is retried) alone, long before its batch's deadline. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * `MLFLOW_HTTP_REQUEST_TIMEOUT` (seconds, as in MLflow's Python client, where it is also a
 * per-read limit) in ms, else {@link DEFAULT_REQUEST_TIMEOUT_MS}.
 */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env["MLFLOW_HTTP_REQUEST_TIMEOUT"]?.trim();
  if (raw === undefined || raw === "") return DEFAULT_REQUEST_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 2_147_483) {
    throw new ConfigError(
      `Expected MLFLOW_HTTP_REQUEST_TIMEOUT to be a number of seconds > 0, got "${raw}". Unset it for the default (${DEFAULT_REQUEST_TIMEOUT_MS / 1000} s).`,
    );
  }
  return Math.ceil(seconds * 1000);
}

/** `MLFLOW_TRACKING_INSECURE_TLS`: a boolean switch (see `envFlag`); a value that cannot be read warns once and keeps verification on. */
function insecureTlsFromEnv(env: NodeJS.ProcessEnv): boolean {
  const flag = envFlag("MLFLOW_TRACKING_INSECURE_TLS", env);
  if (flag !== "invalid") return flag === true;
  reportOnce(
    "config.insecure-tls",
    "warn",
    `MLFLOW_TRACKING_INSECURE_TLS must be ${ENV_FLAG_SPELLINGS}, got "${env["MLFLOW_TRACKING_INSECURE_TLS"] ?? ""}"; TLS certificates are verified`,
  );
  return false;
}

/** The connection for a remote tracking URI (credentials, TLS options and request timeout from the environment). */
export function connectionFor(uri: string, env: NodeJS.ProcessEnv = process.env): MlflowConnection {
  const target = parseTrackingUri(uri);
  const tls = {
    insecureTls: insecureTlsFromEnv(env),
    ...(env["MLFLOW_TRACKING_SERVER_CERT_PATH"] ? { caCertPath: env["MLFLOW_TRACKING_SERVER_CERT_PATH"] } : {}),
    requestTimeoutMs: requestTimeoutFromEnv(env),
  };
  if (target.kind === "mlflow") return { baseUrl: target.baseUrl, auth: resolveMlflowAuth(env), ...tls };
  const dbx = resolveDatabricksTarget(target.profile, env);
  return { baseUrl: dbx.host, auth: databricksAuth(dbx.token), ...tls };
}

/** Options of {@link setExperiment} besides a plain name. */
export type SetExperimentOptions = { experimentName: string } | { experimentId: string };

/**
 * Chooses the experiment traces are logged to; created on the server when missing. Resolution is
 * lazy and cached: the returned promise starts it when awaited (otherwise the first export does),
 * so an unawaited call never causes an unhandled rejection.
 *
 * @example
 * setExperiment("my-app");                        // fire and forget
 * const exp = await setExperiment("my-app");      // or see errors now
 * await setExperiment({ experimentId: "42" });
 */
export function setExperiment(nameOrOptions: string | SetExperimentOptions): Promise<Experiment> {
  if (typeof nameOrOptions !== "string" && (typeof nameOrOptions !== "object" || nameOrOptions === null || Array.isArray(nameOrOptions))) {
    const hint = typeof nameOrOptions === "number" ? `; for an experiment id write setExperiment({ experimentId: "${nameOrOptions}" })` : "";
    throw new ConfigError(`setExperiment expects an experiment name or { experimentId }, got ${describeValue(nameOrOptions)}${hint}.`);
  }
  let spec: ExperimentSpec;
  if (typeof nameOrOptions === "string") spec = { name: nameOrOptions };
  else if ("experimentId" in nameOrOptions) spec = { experimentId: String(nameOrOptions.experimentId) };
  else spec = { name: nameOrOptions.experimentName };
  const value = spec.name ?? spec.experimentId;
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(`setExperiment expects a non-empty experiment name or { experimentId }, got ${describeValue(nameOrOptions)}.`);
  }
  state().experiment = spec;
  return new LazyPromise(() => resolveExperimentAt(getTrackingUri(), spec));
}

/** The experiment in force: `setExperiment` > `MLFLOW_EXPERIMENT_NAME` (+ `MLFLOW_EXPERIMENT_ID`) > `MLFLOW_EXPERIMENT_ID` > undefined (Default). */
export function getExperimentSpec(): ExperimentSpec | undefined {
  const set = state().experiment;
  if (set !== undefined) return set;
  const name = process.env["MLFLOW_EXPERIMENT_NAME"]?.trim();
  const id = process.env["MLFLOW_EXPERIMENT_ID"]?.trim();
  if (name) return id ? { name, experimentId: id } : { name };
  if (id) return { experimentId: id };
  return undefined;
}

function specKey(spec: ExperimentSpec | undefined): string {
  return spec === undefined ? "default" : `${spec.name ?? ""}\u0000${spec.experimentId ?? ""}`;
}

/**
 * Resolves `spec` (default: the configured experiment) against `trackingUri`, once per pair.
 * Failures are not cached, so the next export tries again. `signal` only stops this caller's wait.
 */
export function resolveExperimentAt(
  trackingUri: string | undefined,
  spec: ExperimentSpec | undefined = getExperimentSpec(),
  signal?: AbortSignal,
): Promise<Experiment> {
  if (trackingUri === undefined) {
    return Promise.resolve({
      experimentId: spec?.experimentId ?? DEFAULT_EXPERIMENT_ID,
      name: spec?.name ?? "Default",
      lifecycleStage: "active",
      tags: {},
    });
  }
  if (spec === undefined) spec = { experimentId: DEFAULT_EXPERIMENT_ID };
  const { resolved } = state();
  const key = `${trackingUri}\n${specKey(spec)}`;
  let pending = resolved.get(key);
  if (pending === undefined) {
    const resolvedSpec = spec;
    pending = (async () => {
      const api = new MlflowApi({ ...connectionFor(trackingUri), keepAlive: false });
      try {
        // An export that gives up (timeout, exit) must not leave this request holding the process open.
        const deadline = AbortSignal.timeout(RESOLVE_TIMEOUT_MS);
        return await resolveExperiment(api, resolvedSpec, signal === undefined ? deadline : AbortSignal.any([deadline, signal]));
      } finally {
        api.close();
      }
    })();
    const settled = pending;
    resolved.set(key, settled);
    settled.catch(() => {
      if (resolved.get(key) === settled) resolved.delete(key);
    });
  }
  return signal === undefined ? pending : raceAbort(pending, signal);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** Forgets configured URI, experiment and cached resolutions (tests, or reconfiguring a process). */
export function resetExportConfig(): void {
  const s = state();
  s.trackingUri = undefined;
  s.experiment = undefined;
  s.resolved.clear();
}

export type { Experiment, ExperimentSpec };
