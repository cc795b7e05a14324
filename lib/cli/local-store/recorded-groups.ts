/**
 * `traces sync --to <uri>` without `--experiment`: each trace goes to the experiment it was recorded
 * with (`mlflow_haystack.experiment`, written by the local store). Groups the store's trace files by
 * that experiment; traces recorded with none form one group that takes the fallback experiment.
 */
import type { ExperimentSpec } from "../../export/mlflow/experiments";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";
import { recordedExperiment } from "../../export/clients/local-store/recorded-experiment";

/** Trace files sent to one experiment; `experiment` undefined: none recorded. */
export interface RecordedGroup {
  readonly experiment: ExperimentSpec | undefined;
  readonly files: Set<string>;
}

function keyOf(spec: ExperimentSpec | undefined): string {
  return spec === undefined ? "" : JSON.stringify([spec.name ?? null, spec.experimentId ?? null]);
}

/**
 * A recorded name goes without the id recorded beside it (`MLFLOW_EXPERIMENT_NAME` and `_ID` both
 * set): ids belong to one server, and the sync may go to another, where the pair would not match.
 */
function portable(spec: ExperimentSpec | undefined): ExperimentSpec | undefined {
  return spec?.name === undefined ? spec : { name: spec.name };
}

/** The store's trace files by recorded experiment, in the order each experiment first appears (oldest trace first). */
export async function groupByRecordedExperiment(store: LocalStoreReader): Promise<RecordedGroup[]> {
  const groups = new Map<string, RecordedGroup>();
  for (const file of await store.files()) {
    // Unreadable files are left to the sync itself, which reports them; they join the fallback group.
    const trace = await store.readFile(file.name);
    const experiment = portable(trace === undefined ? undefined : recordedExperiment(trace));
    const key = keyOf(experiment);
    let group = groups.get(key);
    if (group === undefined) {
      group = { experiment, files: new Set() };
      groups.set(key, group);
    }
    group.files.add(file.name);
  }
  return [...groups.values()];
}
