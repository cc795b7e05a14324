/**
 * `traces prune`: applies the local store's retention limits now — the same pass the SDK runs
 * every few dozen writes — with the limits from the options, else the environment, else the
 * defaults (1,000 traces, 10,000 waiting for sync, 30 days).
 */
import { resolveLocalStoreOptions, type LocalStoreOptions } from "../../export/clients/local-store/location";
import { enforceRetention } from "../../export/clients/local-store/retention";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode } from "../cli-io";
import { resolveSource } from "../store-source";

export interface PruneOptions {
  readonly store?: string;
  readonly maxTraces?: number;
  readonly maxPending?: number;
  readonly maxAgeDays?: number;
}

export async function pruneCommand(options: PruneOptions, io: CliIo): Promise<void> {
  const source = resolveSource(options.store === undefined ? {} : { store: options.store }, io.env, io.cwd ?? process.cwd());
  if (source.kind !== "local") throw new CliError(ExitCode.USAGE_ERROR, "prune works on the local store; use --store <dir>.");
  const wanted: LocalStoreOptions = {
    dir: source.store.dir,
    ...(options.maxTraces === undefined ? {} : { maxTraces: options.maxTraces }),
    ...(options.maxPending === undefined ? {} : { maxPendingTraces: options.maxPending }),
    ...(options.maxAgeDays === undefined ? {} : { maxAgeDays: options.maxAgeDays }),
  };
  const { removed, pendingDropped } = await enforceRetention(source.store, resolveLocalStoreOptions(wanted, io.env));
  const unsent = pendingDropped > 0 ? ` (${pendingDropped} of them not yet synced)` : "";
  io.stdout.write(`Removed ${removed} trace(s)${unsent} from ${source.store.dir}; ${await source.store.count()} kept.\n`);
}
