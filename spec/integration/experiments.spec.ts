/**
 * Experiment resolution against a real `mlflow server`: created when missing, concurrent creates,
 * deleted experiments, ids from the environment.
 */
import { randomBytes } from "node:crypto";
import { resetExportConfig, setExperiment, setTrackingUri } from "../../lib/export/destination/config";
import { resolveMlflowAuth } from "../../lib/export/mlflow/auth";
import { ConfigError } from "../../lib/export/errors";
import { resolveExperiment } from "../../lib/export/mlflow/experiments";
import { MlflowApi } from "../../lib/export/mlflow/api";
import { MlflowRestClient } from "../../lib/export/clients/mlflow-rest-client";
import { buildRagTrace } from "./trace-fixtures";

const url = process.env["MLFLOW_TEST_SERVER_URL"] ?? "";
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString("hex")}`;

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return await res.json();
}

describe("experiments on a real mlflow server", () => {
  const savedEnv = { ...process.env };
  beforeEach(() => {
    resetExportConfig();
    setTrackingUri(url);
  });
  afterEach(() => {
    process.env = { ...savedEnv };
    resetExportConfig();
  });

  it("setExperiment creates a missing experiment once and returns it with its artifact location", async () => {
    const name = unique("created");
    const [a, b] = await Promise.all([setExperiment(name), setExperiment(name)]);
    expect(a.name).toBe(name);
    expect(a.lifecycleStage).toBe("active");
    expect(a.artifactLocation).toBe(`mlflow-artifacts:/${a.experimentId}`);
    expect(b.experimentId).toBe(a.experimentId);
  });

  it("two independent clients racing to create the same experiment both resolve to one id", async () => {
    const name = unique("race");
    const apis = Array.from({ length: 4 }, () => new MlflowApi({ baseUrl: url, auth: resolveMlflowAuth({}) }));
    try {
      const ids = await Promise.all(apis.map(async (api) => (await resolveExperiment(api, { name })).experimentId));
      expect(new Set(ids).size).toBe(1);
    } finally {
      for (const api of apis) api.close();
    }
  });

  it("a deleted experiment is a ConfigError telling to restore it or pick another name", async () => {
    const name = unique("deleted");
    const { experiment_id: id } = (await post("/api/2.0/mlflow/experiments/create", { name })) as { experiment_id: string };
    await post("/api/2.0/mlflow/experiments/delete", { experiment_id: id });
    const attempt = setExperiment(name);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(new RegExp(`"${name}" \\(id ${id}\\) is deleted\\. Restore it.*or pick another name`));
  });

  it("an unawaited setExperiment that fails raises no unhandled rejection; the export reports the error instead", async () => {
    const name = unique("deleted-unawaited");
    const { experiment_id: id } = (await post("/api/2.0/mlflow/experiments/create", { name })) as { experiment_id: string };
    await post("/api/2.0/mlflow/experiments/delete", { experiment_id: id });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const client = new MlflowRestClient();
    try {
      void setExperiment(name);
      const trace = await buildRagTrace("deleted");
      const { failures } = await client.export([trace], { signal: AbortSignal.timeout(30_000) });
      expect(failures).toHaveLength(1);
      expect(failures[0]?.retryable).toBe(false);
      expect(failures[0]?.error.message).toContain("is deleted");
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await client.shutdown();
    }
  });

  it("MLFLOW_EXPERIMENT_ID selects an existing experiment; an unknown id is a ConfigError naming the variable", async () => {
    const name = unique("by-id");
    const { experiment_id: id } = (await post("/api/2.0/mlflow/experiments/create", { name })) as { experiment_id: string };
    process.env["MLFLOW_EXPERIMENT_ID"] = id;
    const client = new MlflowRestClient();
    try {
      const trace = await buildRagTrace("by-id");
      const { failures } = await client.export([trace], { signal: AbortSignal.timeout(30_000) });
      expect(failures).toEqual([]);
      expect(trace.info.experimentId).toBe(id);
      await expect(setExperiment({ experimentId: "987654" })).rejects.toThrow(/Experiment id "987654" does not exist.*MLFLOW_EXPERIMENT_ID/);
    } finally {
      await client.shutdown();
    }
  });

  it("MLFLOW_EXPERIMENT_NAME is created on first export when nothing else is set", async () => {
    const name = unique("env-name");
    process.env["MLFLOW_EXPERIMENT_NAME"] = name;
    const client = new MlflowRestClient();
    try {
      const trace = await buildRagTrace("env-name");
      expect((await client.export([trace], { signal: AbortSignal.timeout(30_000) })).failures).toEqual([]);
      const api = new MlflowApi({ baseUrl: url, auth: resolveMlflowAuth({}) });
      try {
        expect((await api.getExperimentByName(name)).experiment.experiment_id).toBe(trace.info.experimentId);
      } finally {
        api.close();
      }
    } finally {
      await client.shutdown();
    }
  });
});
