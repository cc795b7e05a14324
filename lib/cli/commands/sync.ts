/**
 * `traces sync`: sends local traces to a tracking server exactly once (resumable), or, without
 * `--to`, sends undelivered traces to the servers they were meant for.
 */
import { parseTrackingUri } from "../../config";
import { ConfigError } from "../../export/errors";
import type { ExperimentSpec } from "../../export/experiments";
import { parseLocalStoreUri } from "../../export/local-store/location";
import { MlrunsWriter, parseFileStoreUri } from "../../export/local-store/mlruns-writer";
import { syncLocalTraces, syncPendingTraces, type SyncProgress, type SyncResult } from "../../export/local-store/sync";
import type { SyncDestination } from "../../export/local-store/destinations";
import type { TraceClient } from "../../export/trace-client";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode } from "../cli-io";
import { resolveSource } from "../store-source";

export interface SyncCommandOptions {
  /** A tracking server, or `file:<dir>` for MLflow's file-store layout. */
  readonly to?: string;
  readonly experiment?: string;
  readonly experimentId?: string;
  readonly store?: string;
  readonly batchSize: number;
}

/** Lets tests swap the HTTP client for one destination. */
export type ClientFactory = (destination: SyncDestination) => TraceClient | undefined;

function experimentFor(options: SyncCommandOptions, env: NodeJS.ProcessEnv): ExperimentSpec {
  if (options.experiment !== undefined) return { name: options.experiment };
  if (options.experimentId !== undefined) return { experimentId: options.experimentId };
  const name = env["MLFLOW_EXPERIMENT_NAME"]?.trim();
  const id = env["MLFLOW_EXPERIMENT_ID"]?.trim();
  if (name) return { name };
  if (id) return { experimentId: id };
  return { experimentId: "0" };
}

function progressReporter(io: CliIo): (p: SyncProgress) => void {
  const tty = io.stderr.isTTY === true;
  let lastPct = -1;
  return (p) => {
    if (p.total <= 0) return;
    const pct = Math.floor((p.done / p.total) * 100);
    const line = `synced ${p.done}/${p.total} traces (${p.failed} failed)`;
    if (tty) io.stderr.write(`\r${line}${p.done === p.total ? "\n" : ""}`);
    else if (pct >= lastPct + 10 || p.done === p.total) io.stderr.write(`${line}\n`);
    lastPct = pct;
  };
}

function report(io: CliIo, uri: string, result: SyncResult): boolean {
  const already = result.alreadyThere > 0 ? ` (${result.alreadyThere} were already there)` : "";
  io.stdout.write(`Sent ${result.sent} trace(s) to ${uri}${already}; ${result.failed} failed.\n`);
  for (const f of result.failures.slice(0, 5)) io.stderr.write(`  ${f.traceId}: ${f.error.message.split("\n")[0]}\n`);
  if (result.failures.length > 5) io.stderr.write(`  ... and ${result.failures.length - 5} more\n`);
  return result.failed === 0;
}

export async function syncCommand(options: SyncCommandOptions, io: CliIo, clientFor?: ClientFactory): Promise<void> {
  const source = resolveSource(options.store === undefined ? {} : { store: options.store }, io.env, io.cwd ?? process.cwd());
  if (source.kind !== "local") throw new CliError(ExitCode.USAGE_ERROR, "sync reads the local store; use --store <dir>.");
  const store = source.store;
  const onProgress = progressReporter(io);
  let ok = true;
  if (options.to === undefined) {
    const results = await syncPendingTraces(store, {
      batchSize: options.batchSize,
      onProgress,
      ...(clientFor === undefined ? {} : { clientFor: (d: SyncDestination) => clientFor(d) as TraceClient }),
    });
    if (results.length === 0) {
      io.stdout.write(`Nothing to sync: no undelivered traces in ${store.dir}. To send every local trace to a server, add --to <tracking-uri>.\n`);
      return;
    }
    for (const { destination, result } of results) ok = report(io, destination.trackingUri, result) && ok;
  } else {
    if (parseLocalStoreUri(options.to) !== undefined) {
      throw new CliError(ExitCode.USAGE_ERROR, `--to must be a tracking server (http://..., https://..., databricks), got "${options.to}".`);
    }
    const fileStore = parseFileStoreUri(options.to, io.cwd ?? process.cwd());
    if (fileStore === undefined) {
      try {
        parseTrackingUri(options.to);
      } catch (err) {
        throw new CliError(ExitCode.USAGE_ERROR, err instanceof ConfigError ? err.message : String(err));
      }
    }
    const experiment = experimentFor(options, io.env);
    const destination: SyncDestination = { trackingUri: fileStore === undefined ? options.to : `file://${fileStore}`, experiment };
    const client = clientFor?.(destination) ?? (fileStore === undefined ? undefined : new MlrunsWriter(fileStore, experiment));
    const result = await syncLocalTraces(store, { destination, batchSize: options.batchSize, onProgress, ...(client === undefined ? {} : { client }) });
    if (result.total === 0 && result.alreadyThere === 0) {
      io.stdout.write(`Nothing to sync: every trace in ${store.dir} was already sent to ${options.to}.\n`);
      return;
    }
    ok = report(io, options.to, result);
  }
  if (!ok) {
    throw new CliError(ExitCode.RUNTIME_ERROR, "Some traces were not sent. Run the same command again to retry; traces already sent are not sent twice.");
  }
}
