import { MlflowApiError } from "../../../lib/export/errors";
import { MlflowRestClient } from "../../../lib/export/clients/mlflow-rest-client";
import { MlflowApi } from "../../../lib/export/mlflow/api";
import { resolveMlflowAuth } from "../../../lib/export/mlflow/auth";
import { getLastActiveTrace, startSpan } from "../../../lib/index";
import { startScriptedServer, type LoopbackServer } from "../../support/fault-proxy";

/** A server that answers 200 `{}` to everything, as a proxy or a stub in front of the wrong service might. */
describe("an MLflow server answering 200 {}", () => {
  let server: LoopbackServer;
  let client: MlflowRestClient | undefined;
  let api: MlflowApi | undefined;
  beforeEach(async () => {
    server = await startScriptedServer(() => ({ status: 200, body: {} }));
  });
  afterEach(async () => {
    await client?.shutdown();
    api?.close();
    client = undefined;
    api = undefined;
    await server.close();
  });

  function traced(): NonNullable<ReturnType<typeof getLastActiveTrace>> {
    startSpan({ name: "step" }, () => 1);
    return getLastActiveTrace()!;
  }

  it.each([
    ["the experiment lookup", { name: "exp" }, undefined, "GET /api/2.0/mlflow/experiments/get-by-name returned an answer without `experiment`"],
    ["StartTraceV3", { experimentId: "1" }, "1", "POST /api/3.0/mlflow/traces returned an answer without `trace`"],
  ])(
    "fails the export at %s with an MlflowApiError naming the endpoint and the missing field, keeping the trace",
    async (_, experiment, experimentId, message) => {
      const trace = traced();
      trace.info.experimentId = experimentId;
      client = new MlflowRestClient({ trackingUri: server.url, experiment });
      const { failures } = await client.export([trace], { signal: AbortSignal.timeout(10_000) });
      expect(failures).toHaveLength(1);
      expect(failures[0]!.traceId).toBe(trace.info.traceId);
      expect(failures[0]!.error).toBeInstanceOf(MlflowApiError);
      expect(failures[0]!.error.message).toContain(message);
      expect(failures[0]!.error).toMatchObject({ code: "INVALID_RESPONSE", status: 200 });
    },
  );

  it("refuses to read a trace back, naming the endpoint and the missing field", async () => {
    client = new MlflowRestClient({ trackingUri: server.url, experiment: { experimentId: "1" } });
    await expect(client.getTrace("tr-0af7651916cd43dd8448eb211c80319c")).rejects.toThrow(
      "GET /api/3.0/mlflow/traces/tr-0af7651916cd43dd8448eb211c80319c returned an answer without `trace`",
    );
  });

  it.each([
    ["createExperiment", (a: MlflowApi) => a.createExperiment("exp"), "returned an answer without `experiment_id`"],
    ["getExperiment", (a: MlflowApi) => a.getExperiment("1"), "returned an answer without `experiment`"],
    ["getAssessment", (a: MlflowApi) => a.getAssessment("tr-1", "a-1"), "returned an answer without `assessment`"],
    ["updateAssessment", (a: MlflowApi) => a.updateAssessment("tr-1", "a-1", {}, "rationale"), "returned an answer without `assessment`"],
  ])("%s fails with an MlflowApiError naming what was missing", async (_, call, message) => {
    api = new MlflowApi({ baseUrl: server.url, auth: resolveMlflowAuth() });
    await expect(call(api)).rejects.toThrow(message);
  });

  it("reads an empty search answer as no traces: MLflow omits empty lists", async () => {
    api = new MlflowApi({ baseUrl: server.url, auth: resolveMlflowAuth() });
    await expect(api.searchTracesV3({ experimentIds: ["1"], filter: undefined, maxResults: 10, orderBy: [], pageToken: undefined })).resolves.toEqual({});
  });
});

describe("an MLflow server answering 200 with JSON that is not an object", () => {
  it("fails the search with an error naming the endpoint and what came back", async () => {
    const server = await startScriptedServer(() => ({ status: 200, body: [1, 2] }));
    const api = new MlflowApi({ baseUrl: server.url, auth: resolveMlflowAuth() });
    try {
      await expect(api.searchTracesV3({ experimentIds: ["1"], filter: undefined, maxResults: 10, orderBy: [], pageToken: undefined })).rejects.toThrow(
        "POST /api/3.0/mlflow/traces/search returned a body that is not a JSON object (an array of 2 items)",
      );
    } finally {
      api.close();
      await server.close();
    }
  });
});
