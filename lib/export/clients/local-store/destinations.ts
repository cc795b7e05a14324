/**
 * Per-destination bookkeeping inside the local store, one folder per (tracking URI, experiment):
 * `pending/` marks traces that could not be delivered there, `sent/` is the sent-log written after
 * each acknowledged delivery, `inflight/` marks traces whose delivery started but was never
 * confirmed (read back before sending again), `assessments/` lists the assessment ids of a sent
 * trace the destination has. Every marker is its own file: no shared index to tear.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExperimentSpec } from "../../mlflow/experiments";
import { TEMP_PREFIX, listDir, writeFileAtomic, writeFileAtomicSync } from "./atomic-file";

/** Where traces should go: a tracking URI and, optionally, the experiment. */
export interface SyncDestination {
  /** `http(s)://...` or `databricks[://profile]`. */
  readonly trackingUri: string;
  /** Default: the trace's own experiment id, else `MLFLOW_EXPERIMENT_NAME` / `_ID`, else "0". */
  readonly experiment?: ExperimentSpec;
}

/** Folder names inside `<store>/destinations/<key>/`. */
export const MARKERS = { pending: "pending", sent: "sent", inflight: "inflight", assessments: "assessments" } as const;
export type MarkerKind = keyof typeof MARKERS;

const DESTINATION_FILE = "destination.json";

/** A stable folder name for a destination. */
export function destinationKey(destination: SyncDestination): string {
  const exp = destination.experiment;
  // `http://h:5000/` and `http://h:5000` are one server: spelling must not make a sync resend.
  const uri = destination.trackingUri.trim().replace(/\/+$/, "");
  const text = `${uri}\n${exp?.name ?? ""}\n${exp?.experimentId ?? ""}`;
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Paths of one destination's folder. */
export class DestinationDir {
  readonly key: string;
  readonly dir: string;

  constructor(
    storeDir: string,
    readonly destination: SyncDestination,
  ) {
    this.key = destinationKey(destination);
    this.dir = join(storeDir, "destinations", this.key);
  }

  marker(kind: MarkerKind, fileName: string): string {
    return join(this.dir, MARKERS[kind], fileName);
  }

  folder(kind: MarkerKind): string {
    return join(this.dir, MARKERS[kind]);
  }

  get lockPath(): string {
    return join(this.dir, "lock");
  }

  /** Records what the key stands for, so `traces sync` without `--to` knows where to send. */
  async describe(): Promise<void> {
    await writeFileAtomic(join(this.dir, DESTINATION_FILE), JSON.stringify(this.destination));
  }

  describeSync(): void {
    writeFileAtomicSync(join(this.dir, DESTINATION_FILE), JSON.stringify(this.destination));
  }
}

/** Every destination that has a folder in the store. */
export async function knownDestinations(storeDir: string): Promise<DestinationDir[]> {
  const out: DestinationDir[] = [];
  for (const key of await listDir(join(storeDir, "destinations"))) {
    try {
      const raw = JSON.parse(await readFile(join(storeDir, "destinations", key, DESTINATION_FILE), "utf8")) as SyncDestination;
      if (typeof raw.trackingUri === "string") out.push(new DestinationDir(storeDir, raw));
    } catch {
      // A folder without a readable description was never completed; nothing to send there.
    }
  }
  return out;
}

/**
 * The traces waiting for `traces sync`: encoded trace id (the file-name form) → the tracking URIs
 * it waits for. Read here, beside the markers, because the writer's retention needs it (pending
 * traces have their own limit); `traces list` and `traces sync` read it too. Markers are added by
 * the writer (`saveUndelivered`) and cleared by `traces sync` and `traces delete` (`lib/cli`).
 */
export async function pendingIndex(storeDir: string): Promise<Map<string, string[]>> {
  const index = new Map<string, string[]>();
  for (const dest of await knownDestinations(storeDir)) {
    for (const id of await listDir(dest.folder("pending"))) {
      if (id.startsWith(TEMP_PREFIX)) continue;
      index.set(id, [...(index.get(id) ?? []), dest.destination.trackingUri]);
    }
  }
  return index;
}
