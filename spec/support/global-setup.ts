/**
 * Integration project setup: makes sure the pinned MLflow virtualenv exists, starts one shared
 * `mlflow server` and hands its URL to the test workers through the environment.
 */
import { ensureMlflowVenv, startMlflowServer, type MlflowServer } from "./mlflow-server";

export const SERVER_HANDLE = Symbol.for("mlflow-haystack.test.sharedServer");

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  ensureMlflowVenv();
  const server = await startMlflowServer();
  process.env["MLFLOW_TEST_SERVER_URL"] = server.url;
  process.env["MLFLOW_TEST_PYTHON"] = server.python;
  (globalThis as unknown as Record<symbol, MlflowServer>)[SERVER_HANDLE] = server;
  process.stderr.write(`\n[integration] mlflow server ${server.url} ready in ${Date.now() - started} ms\n`);
}
