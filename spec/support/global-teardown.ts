/** Integration project teardown: stops the shared `mlflow server` (its whole process group). */
import type { MlflowServer } from "./mlflow-server";

const SERVER_HANDLE = Symbol.for("mlflow-haystack.test.sharedServer");

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as unknown as Record<symbol, MlflowServer | undefined>;
  const server = holder[SERVER_HANDLE];
  holder[SERVER_HANDLE] = undefined;
  await server?.stop();
}
