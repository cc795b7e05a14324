/**
 * Credentials against a real `mlflow server --app-name basic-auth` (its own server: this file only).
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/export/destination/config";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import type { ExportResult } from "../../lib/export/clients/trace-client";
import { startMlflowServer, type MlflowServer } from "../support/mlflow-server";
import { buildRagTrace } from "./trace-fixtures";

const AUTH_VARS = ["MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"] as const;

describe("basic-auth mlflow server", () => {
  let server: MlflowServer;
  let admin: { username: string; password: string };
  const saved = Object.fromEntries(AUTH_VARS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    server = await startMlflowServer({ appName: "basic-auth" });
    admin = server.admin ?? { username: "", password: "" };
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    for (const key of AUTH_VARS) delete process.env[key];
    resetExportConfig();
    setTrackingUri(server.url);
    void setExperiment(`auth-${randomBytes(4).toString("hex")}`);
  });
  afterEach(() => {
    for (const key of AUTH_VARS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetExportConfig();
  });

  async function exportOne(): Promise<{ result: ExportResult; client: MlflowRestClient; traceId: string }> {
    const client = new MlflowRestClient();
    const trace = await buildRagTrace("auth");
    try {
      return { result: await client.export([trace], { signal: AbortSignal.timeout(30_000) }), client, traceId: trace.info.traceId };
    } finally {
      await client.shutdown();
    }
  }

  it("exports with MLFLOW_TRACKING_USERNAME/PASSWORD, taking precedence over MLFLOW_TRACKING_TOKEN", async () => {
    process.env["MLFLOW_TRACKING_USERNAME"] = admin.username;
    process.env["MLFLOW_TRACKING_PASSWORD"] = admin.password;
    process.env["MLFLOW_TRACKING_TOKEN"] = "not-a-valid-token";
    const { result, traceId } = await exportOne();
    expect(result.failures).toEqual([]);
    const reader = new MlflowRestClient();
    try {
      expect((await reader.getTrace(traceId))?.data.spans).toHaveLength(4);
    } finally {
      await reader.shutdown();
    }
  });

  it("a wrong password fails without retry, names the variables to fix and never shows the password", async () => {
    const wrong = `wrong-${randomBytes(8).toString("hex")}`;
    process.env["MLFLOW_TRACKING_USERNAME"] = admin.username;
    process.env["MLFLOW_TRACKING_PASSWORD"] = wrong;
    const { result } = await exportOne();
    expect(result.failures).toHaveLength(1);
    const failure = result.failures[0];
    expect(failure?.retryable).toBe(false);
    expect(failure?.error).toMatchObject({ status: 401 });
    expect(failure?.error.message).toMatch(/MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD/);
    const everything = `${failure?.error.message} ${JSON.stringify(failure?.error)} ${String(failure?.error.stack)}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`${admin.username}:${wrong}`).toString("base64"));
  });

  it("no credentials: the error says which variables to set", async () => {
    const { result } = await exportOne();
    expect(result.failures[0]?.error.message).toMatch(
      /requires authentication: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD .*or MLFLOW_TRACKING_TOKEN/,
    );
  });

  it("a rejected bearer token names MLFLOW_TRACKING_TOKEN", async () => {
    process.env["MLFLOW_TRACKING_TOKEN"] = `tok-${randomBytes(8).toString("hex")}`;
    const { result } = await exportOne();
    const message = result.failures[0]?.error.message ?? "";
    expect(message).toContain("MLFLOW_TRACKING_TOKEN");
    expect(message).not.toContain(process.env["MLFLOW_TRACKING_TOKEN"] ?? "?");
  });
});
