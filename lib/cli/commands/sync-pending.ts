/**
 * `traces sync` without `--to`, and `--drop`: the traces a server could not take, kept in the
 * local store with the destination they were meant for.
 *
 * A store's `destination.json` is only a file in a directory — anyone who can write there can
 * name any host. Credentials come from the environment, so undelivered traces are sent only to
 * the tracking URI the user configured (`MLFLOW_TRACKING_URI`); any other destination needs an
 * explicit `--to`.
 */
import { join } from "node:path";
import { TEMP_PREFIX, listDir, removeFile } from "../../export/clients/local-store/atomic-file";
import { knownDestinations, type DestinationDir, type SyncDestination } from "../../export/clients/local-store/destinations";
import { syncLocalTraces, type SyncProgress } from "../local-store/sync";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";
import type { TraceClient } from "../../export/clients/trace-client";
import type { CliIo } from "../cli-io";
import { describeExperiment, reportResult } from "./sync-report";

/** `http://h:5000/` and `http://h:5000` are one server (as the destination key has it). */
export function sameTrackingUri(a: string, b: string): boolean {
  const norm = (uri: string): string => uri.trim().replace(/\/+$/, "");
  return norm(a) === norm(b);
}

async function pendingIds(dest: DestinationDir): Promise<string[]> {
  return (await listDir(dest.folder("pending"))).filter((name) => !name.startsWith(TEMP_PREFIX));
}

/** Destinations that have undelivered traces, with their counts. */
async function pendingDestinations(store: LocalStoreReader): Promise<{ dest: DestinationDir; count: number }[]> {
  const out: { dest: DestinationDir; count: number }[] = [];
  for (const dest of await knownDestinations(store.dir)) {
    const count = (await pendingIds(dest)).length;
    if (count > 0) out.push({ dest, count });
  }
  return out;
}

export interface PendingSyncOptions {
  readonly batchSize: number;
  readonly onProgress: (p: SyncProgress) => void;
  readonly clientFor?: ((destination: SyncDestination) => TraceClient | undefined) | undefined;
}

/** What a pending sync did: whether every destination it tried succeeded, and what it left alone. */
export interface PendingSyncOutcome {
  readonly found: number;
  readonly ok: boolean;
  readonly keptForOtherHosts: number;
}

export async function syncPending(store: LocalStoreReader, io: CliIo, options: PendingSyncOptions): Promise<PendingSyncOutcome> {
  const configured = io.env["MLFLOW_TRACKING_URI"]?.trim() || undefined;
  const found = await pendingDestinations(store);
  let ok = true;
  let keptForOtherHosts = 0;
  for (const { dest, count } of found) {
    const { trackingUri, experiment } = dest.destination;
    if (configured === undefined || !sameTrackingUri(trackingUri, configured)) {
      keptForOtherHosts += count;
      // The configured URI itself is not printed: it may carry a password.
      const why = configured === undefined ? "no MLFLOW_TRACKING_URI is set" : "MLFLOW_TRACKING_URI names another server";
      io.stdout.write(
        `Kept ${count} undelivered trace(s) for ${trackingUri}, ${describeExperiment(experiment)}: not sent, because ${why} ` +
          `and credentials go only to the server you configure. Send them there with \`traces sync --to ${trackingUri}\`, ` +
          `elsewhere with \`--to <tracking-uri> --drop ${trackingUri}\`, or stop retrying with \`--drop ${trackingUri}\`.\n`,
      );
      continue;
    }
    const client = options.clientFor?.(dest.destination);
    const result = await syncLocalTraces(store, {
      destination: dest.destination,
      onlyPending: true,
      batchSize: options.batchSize,
      onProgress: options.onProgress,
      ...(client === undefined ? {} : { client }),
    });
    ok = reportResult(io, trackingUri, experiment, result) && ok;
  }
  return { found: found.length, ok, keptForOtherHosts };
}

/** Forgets the undelivered traces for `trackingUri` (every experiment); the traces stay in the store. */
export async function dropPending(store: LocalStoreReader, trackingUri: string): Promise<number> {
  let dropped = 0;
  for (const dest of await knownDestinations(store.dir)) {
    if (!sameTrackingUri(dest.destination.trackingUri, trackingUri)) continue;
    for (const id of await pendingIds(dest)) {
      await removeFile(join(dest.folder("pending"), id));
      dropped++;
    }
  }
  return dropped;
}
