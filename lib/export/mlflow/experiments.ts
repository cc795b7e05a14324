/**
 * Finds the experiment traces go to, creating it when missing, as Python's `mlflow.set_experiment`
 * and `MLFLOW_EXPERIMENT_NAME` / `MLFLOW_EXPERIMENT_ID` do.
 */
import { ConfigError, MlflowApiError } from "../errors";
import type { MlflowApi } from "./api";
import { experimentFromWire, type Experiment } from "./rest-spec";

/** Which experiment to use: by name (created when missing), by id, or both (they must agree). */
export type ExperimentSpec =
  | { readonly name: string; readonly experimentId?: undefined }
  | { readonly experimentId: string; readonly name?: undefined }
  | { readonly name: string; readonly experimentId: string };

function isNotFound(err: unknown): boolean {
  return err instanceof MlflowApiError && (err.code === "RESOURCE_DOES_NOT_EXIST" || err.status === 404);
}

function deletedError(exp: Experiment): ConfigError {
  return new ConfigError(
    `Experiment "${exp.name}" (id ${exp.experimentId}) is deleted. Restore it ` +
      `(MLflow UI, or \`mlflow experiments restore --experiment-id ${exp.experimentId}\`), ` +
      `or pick another name with setExperiment() / MLFLOW_EXPERIMENT_NAME.`,
  );
}

function active(exp: Experiment): Experiment {
  if (exp.lifecycleStage === "deleted") throw deletedError(exp);
  return exp;
}

async function getByName(api: MlflowApi, name: string, signal?: AbortSignal): Promise<Experiment | undefined> {
  try {
    return experimentFromWire((await api.getExperimentByName(name, signal)).experiment);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function byName(api: MlflowApi, name: string, signal?: AbortSignal): Promise<Experiment> {
  const existing = await getByName(api, name, signal);
  if (existing !== undefined) return active(existing);
  try {
    await api.createExperiment(name, signal);
  } catch (err) {
    // Someone else created it between our get and create: use theirs.
    if (!(err instanceof MlflowApiError && err.code === "RESOURCE_ALREADY_EXISTS")) throw err;
  }
  const created = await getByName(api, name, signal);
  if (created === undefined) {
    throw new ConfigError(`Experiment "${name}" could not be found right after creating it; check the server's backend store.`);
  }
  return active(created);
}

async function byId(api: MlflowApi, experimentId: string, signal?: AbortSignal): Promise<Experiment> {
  try {
    return active(experimentFromWire((await api.getExperiment(experimentId, signal)).experiment));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw new ConfigError(
      `Experiment id "${experimentId}" does not exist on the tracking server. ` +
        `Set MLFLOW_EXPERIMENT_ID / setExperiment({ experimentId }) to an existing id, or use an experiment name.`,
      { cause: err },
    );
  }
}

/**
 * Resolves `spec` on the server: by name (created when missing; a concurrent create is tolerated)
 * or by id. A deleted experiment is a {@link ConfigError} telling how to fix it.
 *
 * @example
 * const exp = await resolveExperiment(api, { name: "my-app" });
 */
export async function resolveExperiment(api: MlflowApi, spec: ExperimentSpec, signal?: AbortSignal): Promise<Experiment> {
  if (spec.name === undefined) return byId(api, spec.experimentId, signal);
  const exp = await byName(api, spec.name, signal);
  if (spec.experimentId !== undefined && spec.experimentId !== exp.experimentId) {
    throw new ConfigError(
      `MLFLOW_EXPERIMENT_ID "${spec.experimentId}" does not match the id "${exp.experimentId}" of experiment ` +
        `"${spec.name}" (MLFLOW_EXPERIMENT_NAME). Unset one of them.`,
    );
  }
  return exp;
}
