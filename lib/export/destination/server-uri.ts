/**
 * Which tracking URIs name a server. `setTrackingUri` refuses what the SDK cannot serve, but
 * `MLFLOW_TRACKING_URI` is read as it is, at export time: an unusable one keeps traces in the
 * local store, with one warning that says what to change.
 */
import { parseTrackingUri } from "./config";
import { reportOnce } from "../../internal/diagnostics";
import { defaultLocalStoreDir, parseLocalStoreUri } from "../clients/local-store/location";

/** True for `mlflow-haystack-local:<dir>`. */
export function isLocalStoreUri(uri: string | undefined): uri is string {
  return uri !== undefined && parseLocalStoreUri(uri) !== undefined;
}

let checkedUri: { readonly uri: string; readonly ok: boolean } | undefined;

/**
 * Whether `uri` names a server (`http(s)://`, `databricks`). An unusable one (MLflow's own
 * `sqlite:///mlflow.db` default, `file:`, a host without `http://`) is not, and is reported once.
 *
 * @example
 * isServerUri("127.0.0.1:5000"); // false, and one warning: use "http://127.0.0.1:5000"
 */
export function isServerUri(uri: string | undefined): uri is string {
  if (uri === undefined || isLocalStoreUri(uri)) return false;
  if (checkedUri?.uri === uri) return checkedUri.ok;
  let ok = true;
  try {
    parseTrackingUri(uri);
  } catch (error) {
    ok = false;
    const why = error instanceof Error ? error.message : String(error);
    reportOnce(
      "export.unsupported-tracking-uri",
      "warn",
      `MLFLOW_TRACKING_URI: ${why} Until it is changed, traces are kept in the local store ${defaultLocalStoreDir()}; ` +
        "send them to a server later with `npx mlflow-haystack traces sync --to http://...`",
    );
  }
  checkedUri = { uri, ok };
  return ok;
}
