/**
 * Writes traces in MLflow's file-store layout (`mlruns/<experiment>/traces/<id>/...`, see
 * shared/mlflow-protocol.md §5.2), so `mlflow server --backend-store-uri <dir>` and
 * `mlflow.get_trace` on a `file:` tracking URI show them. MLflow ≥ 3.13 only opens a file store
 * with `MLFLOW_ALLOW_FILE_STORE=true` (maintenance mode). Used by `traces sync --to file:<dir>`.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { diag } from "../../internal/diagnostics";
import type { Trace } from "../../tracing/trace";
import type { ExperimentSpec } from "../../export/mlflow/experiments";
import type { ExportFailure, ExportResult, TraceClient } from "../../export/clients/trace-client";
import { listDir, writeFileAtomic } from "../../export/clients/local-store/atomic-file";
import { toError } from "../../internal/to-error";

/** A file-store tag or metadata key must be a plain file name (MLflow's `_validate_tag_name`). */
const SAFE_KEY = /^[\w.\- ]+$/;

/** `file:///abs/mlruns`, `file:relative` → an absolute directory; `undefined` for other schemes. */
export function parseFileStoreUri(uri: string, cwd: string = process.cwd()): string | undefined {
  if (!/^file:/i.test(uri.trim())) return undefined;
  const rest = uri.trim().slice("file:".length);
  if (rest.startsWith("//")) return decodeURIComponent(rest.replace(/^\/\/[^/]*/, ""));
  return isAbsolute(rest) ? rest : resolve(cwd, rest);
}

/** YAML for flat records: every value is written as JSON, which YAML reads as the same value. */
function yaml(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`)
    .join("");
}

/**
 * A {@link TraceClient} that writes MLflow's file store.
 *
 * @example
 * const client = new MlrunsWriter("/data/mlruns", { name: "local-traces" });
 * await client.export(traces, { signal: AbortSignal.timeout(30_000) });
 */
export class MlrunsWriter implements TraceClient {
  private experimentId: Promise<string> | undefined;

  constructor(
    readonly root: string,
    private readonly experiment: ExperimentSpec = { experimentId: "0" },
  ) {}

  async export(traces: readonly Trace[]): Promise<ExportResult> {
    const failures: ExportFailure[] = [];
    let experimentId: string;
    try {
      experimentId = await (this.experimentId ??= this.resolveExperiment());
    } catch (err) {
      this.experimentId = undefined;
      const error = toError(err);
      return { failures: traces.map((t) => ({ traceId: t.info.traceId, error, retryable: false })) };
    }
    for (const trace of traces) {
      try {
        await this.writeTrace(trace, experimentId);
      } catch (err) {
        failures.push({ traceId: trace.info.traceId, error: toError(err), retryable: false });
      }
    }
    return { failures };
  }

  async shutdown(): Promise<void> {
    // Nothing held open.
  }

  private expDir(id: string): string {
    return join(this.root, id);
  }

  private async resolveExperiment(): Promise<string> {
    const { name, experimentId } = this.experiment;
    if (name === undefined) {
      await this.ensureExperiment(experimentId, experimentId === "0" ? "Default" : `experiment-${experimentId}`);
      return experimentId;
    }
    let highest = 0;
    for (const entry of await listDir(this.root)) {
      if (!/^\d+$/.test(entry)) continue;
      highest = Math.max(highest, Number(entry));
      const meta = await readFile(join(this.expDir(entry), "meta.yaml"), "utf8").catch(() => "");
      if (new RegExp(`^name: ${escapeRegExp(JSON.stringify(name))}$|^name: ${escapeRegExp(name)}$`, "m").test(meta)) return entry;
    }
    const id = String(Math.max(highest + 1, 1));
    await this.ensureExperiment(id, name);
    return id;
  }

  private async ensureExperiment(id: string, name: string): Promise<void> {
    const metaPath = join(this.expDir(id), "meta.yaml");
    if ((await readFile(metaPath, "utf8").catch(() => undefined)) !== undefined) return;
    const now = Date.now();
    await writeFileAtomic(
      metaPath,
      yaml({
        artifact_location: pathToFileURL(this.expDir(id)).href,
        creation_time: now,
        experiment_id: id,
        last_update_time: now,
        lifecycle_stage: "active",
        name,
      }),
    );
  }

  private async writeTrace(trace: Trace, experimentId: string): Promise<void> {
    const json = trace.toJSON();
    const id = json.info.trace_id;
    if (!SAFE_KEY.test(id)) throw new Error(`trace id ${JSON.stringify(id)} cannot be a file-store folder name`);
    const dir = join(this.expDir(experimentId), "traces", id);
    const { trace_metadata: metadata, tags, ...info } = json.info;
    await writeFileAtomic(join(dir, "artifacts", "traces.json"), JSON.stringify(json.data));
    const allTags = { ...tags, "mlflow.artifactLocation": pathToFileURL(join(dir, "artifacts")).href };
    for (const [folder, record] of [
      ["request_metadata", metadata],
      ["tags", allTags],
    ] as const) {
      for (const [key, value] of Object.entries(record)) {
        if (!SAFE_KEY.test(key)) {
          diag("warn", `file store: skipped ${folder} key ${JSON.stringify(key)} of ${id} (not a valid file name)`);
          continue;
        }
        await writeFileAtomic(join(dir, folder, key), value);
      }
    }
    // trace_info.yaml last: MLflow lists a trace once this file exists.
    await writeFileAtomic(
      join(dir, "trace_info.yaml"),
      yaml({ ...info, trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } } }),
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
