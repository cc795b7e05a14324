/**
 * Tag and metadata values that are not strings, written as MLflow's Python SDK writes them:
 * `str(value)` (`TraceInfo.to_proto`, `Assessment.to_proto`). The expected texts were printed by
 * mlflow 3.17.2's own `_truncate_tags` for the same values decoded from JSON
 * (`spec/support/python-str-values.ts`); the side-by-side check on a real server is
 * `spec/integration/trace-info-limits.spec.ts`.
 */
import * as mlflow from "../../lib/index";
import { MemoryClient } from "../../lib/export/index";
import { PYTHON_STR, VALUES } from "../support/python-str-values";

describe("tag and metadata values that are not strings", () => {
  const memory = new MemoryClient();
  beforeEach(() => {
    memory.clear();
    mlflow.setTraceClient(memory);
  });
  afterAll(() => mlflow.setTraceClient(undefined));

  it("updateCurrentTrace writes them as Python's str() does", () => {
    mlflow.startSpan({ name: "t" }, () => mlflow.updateCurrentTrace({ tags: VALUES, metadata: VALUES }));
    const info = mlflow.getLastActiveTrace()!.info;
    expect(info.tags).toMatchObject(PYTHON_STR);
    expect(info.metadata).toMatchObject(PYTHON_STR);
  });

  it("tracingContext writes them as Python's str() does", () => {
    mlflow.tracingContext({ tags: VALUES, metadata: VALUES }, () => mlflow.startSpan({ name: "t" }, () => undefined));
    const info = mlflow.getLastActiveTrace()!.info;
    expect(info.tags).toMatchObject(PYTHON_STR);
    expect(info.metadata).toMatchObject(PYTHON_STR);
  });

  it("still redacts the text under a secret name, inside an object too", () => {
    mlflow.startSpan({ name: "t" }, () => mlflow.updateCurrentTrace({ tags: { api_key: "sk-live-123", token: { value: "abc", n: [1] } } }));
    expect(mlflow.getLastActiveTrace()!.info.tags).toMatchObject({ api_key: "**********", token: "{'value': '**********', 'n': ['**********']}" });
  });

  it("assessment metadata is written as Python's str() does", async () => {
    const { nan: _nan, ...finite } = VALUES;
    const { nan: _py, ...expected } = PYTHON_STR;
    await mlflow.startSpan({ name: "t" }, async (span) => {
      const feedback = await mlflow.logFeedback({ traceId: span.traceId, value: 1, metadata: finite });
      expect(feedback.metadata).toMatchObject(expected);
    });
  });
});
