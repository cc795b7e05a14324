/**
 * Credentials for the MLflow REST API, in MLflow's order: basic auth
 * (`MLFLOW_TRACKING_USERNAME` + `MLFLOW_TRACKING_PASSWORD`) before a bearer token
 * (`MLFLOW_TRACKING_TOKEN`), else none. Databricks targets use their own token.
 * The header value never leaves this module except in the request itself.
 */

/** Which credential a client sends; used to say what to fix on 401/403. */
export type AuthKind = "basic" | "bearer" | "databricks" | "none";

/** A resolved credential: the `Authorization` header (if any) and where it came from. */
export interface ResolvedAuth {
  readonly kind: AuthKind;
  readonly authorization?: string;
  /** Every secret value in this credential, so messages can be scrubbed of them. */
  readonly secrets: readonly string[];
}

/**
 * Reads MLflow tracking credentials from the environment.
 *
 * @example
 * const auth = resolveMlflowAuth({ MLFLOW_TRACKING_TOKEN: "t" });
 * auth.kind; // "bearer"
 */
export function resolveMlflowAuth(env: NodeJS.ProcessEnv = process.env): ResolvedAuth {
  const username = env["MLFLOW_TRACKING_USERNAME"];
  const password = env["MLFLOW_TRACKING_PASSWORD"];
  if (username && password) {
    const encoded = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
    return { kind: "basic", authorization: `Basic ${encoded}`, secrets: [password, encoded] };
  }
  const token = env["MLFLOW_TRACKING_TOKEN"];
  if (token) return { kind: "bearer", authorization: `Bearer ${token}`, secrets: [token] };
  return { kind: "none", secrets: [] };
}

/** A Databricks personal access token as a bearer credential. */
export function databricksAuth(token: string): ResolvedAuth {
  return { kind: "databricks", authorization: `Bearer ${token}`, secrets: [token] };
}

/** What to tell the user when the server answers 401 or 403. */
export function authFixHint(kind: AuthKind, status: number): string {
  const denied = status === 401 ? "rejected the credentials" : "denied access";
  switch (kind) {
    case "basic":
      return `The server ${denied}: check MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD${
        status === 403 ? " (and that this user has permission on the experiment)" : ""
      }.`;
    case "bearer":
      return `The server ${denied}: check MLFLOW_TRACKING_TOKEN, or set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD for basic auth.`;
    case "databricks":
      return `Databricks ${denied}: check DATABRICKS_TOKEN or the token of your ~/.databrickscfg profile.`;
    case "none":
      return `The server requires authentication: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic auth) or MLFLOW_TRACKING_TOKEN (bearer).`;
  }
}

/** Replaces every secret in `text` (defence in depth: a server might echo a header back). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("***");
  return out;
}
