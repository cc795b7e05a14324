/**
 * Which store a CLI command reads: `--tracking-uri` (a server, or a local-store URI), else
 * `--store <dir>`, else the default local store for the environment.
 */
import { resolve } from "node:path";
import { parseTrackingUri } from "../export/destination/config";
import { ConfigError } from "../export/errors";
import { LocalStoreReader } from "../export/clients/local-store/reader";
import { defaultLocalStoreDir, parseLocalStoreUri } from "../export/clients/local-store/location";
import { CliError, ExitCode } from "./cli-io";

/** Options shared by the read commands. */
export interface SourceOptions {
  readonly store?: string;
  readonly trackingUri?: string;
}

export type Source = { readonly kind: "local"; readonly store: LocalStoreReader } | { readonly kind: "server"; readonly trackingUri: string };

/** Resolves the source; bad URIs become usage errors. */
export function resolveSource(options: SourceOptions, env: NodeJS.ProcessEnv, cwd: string): Source {
  if (options.trackingUri !== undefined) {
    const local = parseLocalStoreUri(options.trackingUri, cwd);
    if (local !== undefined) return { kind: "local", store: new LocalStoreReader(local) };
    try {
      parseTrackingUri(options.trackingUri, { option: "--tracking-uri" });
    } catch (err) {
      throw new CliError(ExitCode.USAGE_ERROR, err instanceof ConfigError ? err.message : String(err));
    }
    return { kind: "server", trackingUri: options.trackingUri };
  }
  const dir = options.store === undefined ? defaultLocalStoreDir(env, cwd) : resolve(cwd, options.store);
  return { kind: "local", store: new LocalStoreReader(dir) };
}

/**
 * The note `traces list` / `traces show` print on stderr when they read the default local store
 * while `MLFLOW_TRACKING_URI` names a server: an app run with that variable sent its traces there,
 * so the local store holds only old or undelivered ones, and nothing else says which was read.
 *
 * @example
 * const note = serverNote({}, { MLFLOW_TRACKING_URI: "http://127.0.0.1:5000" }, source);
 * if (note !== undefined) io.stderr.write(note);
 */
export function serverNote(options: SourceOptions, env: NodeJS.ProcessEnv, source: Source): string | undefined {
  if (options.trackingUri !== undefined || options.store !== undefined || source.kind !== "local") return undefined;
  if (!/^(https?:\/\/|databricks)/i.test(env["MLFLOW_TRACKING_URI"]?.trim() ?? "")) return undefined;
  return `note: this is the local store ${source.store.dir}; MLFLOW_TRACKING_URI names a server, which this command reads only with --tracking-uri "$MLFLOW_TRACKING_URI".\n`;
}
