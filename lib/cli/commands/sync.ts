/**
 * `traces sync`: sends local traces to a tracking server exactly once (resumable); without
 * `--to`, sends undelivered traces to the configured server they were meant for; `--drop` stops
 * retrying the undelivered traces of one server.
 */
import { parseTrackingUri } from "../../export/destination/config";
import { ConfigError } from "../../export/errors";
import type { ExperimentSpec } from "../../export/mlflow/experiments";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";
import { parseLocalStoreUri } from "../../export/clients/local-store/location";
import { MlrunsWriter, parseFileStoreUri } from "../local-store/mlruns-writer";
import { syncLocalTraces } from "../local-store/sync";
import { groupByRecordedExperiment } from "../local-store/recorded-groups";
import type { SyncDestination } from "../../export/clients/local-store/destinations";
import type { TraceClient } from "../../export/clients/trace-client";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode } from "../cli-io";
import { resolveSource } from "../store-source";
import { dropPending, syncPending } from "./sync-pending";
import { progressReporter, reportResult } from "./sync-report";

export interface SyncCommandOptions {
  /** A tracking server, or `file:<dir>` for MLflow's file-store layout. */
  readonly to?: string;
  /** Forget the undelivered traces for this tracking URI (after `--to` succeeded, when both are given). */
  readonly drop?: string;
  readonly experiment?: string;
  readonly experimentId?: string;
  readonly store?: string;
  readonly batchSize: number;
}

/** Lets tests swap the HTTP client for one destination. */
export type ClientFactory = (destination: SyncDestination) => TraceClient | undefined;

/** --experiment / --experiment-id: every trace goes there, whatever it was recorded with. */
function experimentOverride(options: SyncCommandOptions): ExperimentSpec | undefined {
  if (options.experiment !== undefined) return { name: options.experiment };
  if (options.experimentId !== undefined) return { experimentId: options.experimentId };
  return undefined;
}

/** For traces recorded with no experiment: MLFLOW_EXPERIMENT_NAME / _ID, else the Default experiment. */
function fallbackExperiment(env: NodeJS.ProcessEnv): ExperimentSpec {
  const name = env["MLFLOW_EXPERIMENT_NAME"]?.trim();
  const id = env["MLFLOW_EXPERIMENT_ID"]?.trim();
  if (name) return { name };
  if (id) return { experimentId: id };
  return { experimentId: "0" };
}

/** `--to`: every local trace not yet sent there. Returns false when some failed. */
async function syncTo(to: string, store: LocalStoreReader, options: SyncCommandOptions, io: CliIo, clientFor?: ClientFactory): Promise<boolean> {
  if (parseLocalStoreUri(to) !== undefined) {
    throw new CliError(ExitCode.USAGE_ERROR, `--to must be a tracking server (http://..., https://..., databricks), got "${to}".`);
  }
  const fileStore = parseFileStoreUri(to, io.cwd ?? process.cwd());
  if (fileStore === undefined) {
    try {
      parseTrackingUri(to, { option: "--to" });
    } catch (err) {
      throw new CliError(ExitCode.USAGE_ERROR, err instanceof ConfigError ? err.message : String(err));
    }
  }
  const override = experimentOverride(options);
  // Without --experiment, each trace goes to the experiment it was recorded with, one destination each.
  const groups: { experiment: ExperimentSpec; only?: ReadonlySet<string> }[] =
    override !== undefined
      ? [{ experiment: override }]
      : (await groupByRecordedExperiment(store)).map((g) => ({ experiment: g.experiment ?? fallbackExperiment(io.env), only: g.files }));
  if (groups.length === 0) groups.push({ experiment: fallbackExperiment(io.env) });
  let ok = true;
  let anything = false;
  for (const { experiment, only } of groups) {
    const destination: SyncDestination = { trackingUri: fileStore === undefined ? to : `file://${fileStore}`, experiment };
    const client = clientFor?.(destination) ?? (fileStore === undefined ? undefined : new MlrunsWriter(fileStore, experiment));
    const result = await syncLocalTraces(store, {
      destination,
      batchSize: options.batchSize,
      onProgress: progressReporter(io),
      ...(client === undefined ? {} : { client }),
      ...(only === undefined ? {} : { only }),
    });
    if (result.total === 0 && result.alreadyThere === 0 && result.assessmentsSent === 0 && result.failed === 0) continue;
    anything = true;
    ok = reportResult(io, to, experiment, result) && ok;
  }
  if (!anything) io.stdout.write(`Nothing to sync: every trace in ${store.dir} was already sent to ${to}.\n`);
  return ok;
}

export async function syncCommand(options: SyncCommandOptions, io: CliIo, clientFor?: ClientFactory): Promise<void> {
  const source = resolveSource(options.store === undefined ? {} : { store: options.store }, io.env, io.cwd ?? process.cwd());
  if (source.kind !== "local") throw new CliError(ExitCode.USAGE_ERROR, "sync reads the local store; use --store <dir>.");
  const store = source.store;
  let ok = true;
  if (options.to !== undefined) {
    ok = await syncTo(options.to, store, options, io, clientFor);
  } else if (options.drop === undefined) {
    const outcome = await syncPending(store, io, { batchSize: options.batchSize, onProgress: progressReporter(io), clientFor });
    if (outcome.found === 0) {
      io.stdout.write(`Nothing to sync: no undelivered traces in ${store.dir}. To send every local trace to a server, add --to <tracking-uri>.\n`);
      return;
    }
    ok = outcome.ok && outcome.keptForOtherHosts === 0;
    if (outcome.ok && outcome.keptForOtherHosts > 0 && options.drop === undefined) {
      // Running the same command again would skip them again: only --to (or MLFLOW_TRACKING_URI) sends them.
      throw new CliError(ExitCode.RUNTIME_ERROR, "Some traces were not sent: they are for a server named above; send them with the --to command shown there.");
    }
  }
  if (options.drop !== undefined) {
    if (!ok)
      throw new CliError(
        ExitCode.RUNTIME_ERROR,
        `Some traces were not sent, so the undelivered traces for ${options.drop} were kept. Run the same command again.`,
      );
    const dropped = await dropPending(store, options.drop);
    io.stdout.write(`Dropped ${dropped} undelivered trace(s) for ${options.drop}: no longer retried; they stay in ${store.dir}.\n`);
    return;
  }
  if (!ok) {
    throw new CliError(ExitCode.RUNTIME_ERROR, "Some traces were not sent. Run the same command again to retry; traces already sent are not sent twice.");
  }
}
