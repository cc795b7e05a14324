/**
 * One REST connection per tracking server for assessment calls. Without keep-alive: these calls
 * are few, and an idle pooled socket must not keep a process that is done alive.
 */
import { connectionFor } from "../config";
import { MlflowApi } from "../export/mlflow/api";
import { ServerAssessments } from "./server-store";

let cached: { uri: string; store: ServerAssessments } | undefined;

/** The assessment store of the MLflow server at `uri`. */
export function serverAssessments(uri: string): ServerAssessments {
  if (cached?.uri !== uri) cached = { uri, store: new ServerAssessments(new MlflowApi({ ...connectionFor(uri), keepAlive: false })) };
  return cached.store;
}
