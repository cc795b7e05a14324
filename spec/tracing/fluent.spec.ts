import { getLastActiveTrace, setDiagnosticsLogger, startSpan, updateCurrentTrace } from "../../lib/index";
import { getDiagnosticsCounts } from "../../lib/export/index";

describe("updateCurrentTrace", () => {
  it("sets tags, metadata, client request id, previews and state on the active trace", () => {
    startSpan({ name: "root", inputs: { q: 1 } }, () => {
      startSpan({ name: "child" }, () =>
        updateCurrentTrace({
          tags: { env: "dev", n: 3 },
          metadata: { "mlflow.trace.user": "user-42", "mlflow.trace.session": "s".repeat(300) },
          clientRequestId: "req-1",
          requestPreview: "custom request",
          state: "ERROR",
        }),
      );
    });
    const info = getLastActiveTrace()!.info;
    expect(info.tags).toEqual({ "mlflow.traceName": "root", env: "dev", n: "3" });
    expect(info.metadata["mlflow.trace.user"]).toBe("user-42");
    expect(info.metadata["mlflow.trace.session"]).toHaveLength(250);
    expect(info.clientRequestId).toBe("req-1");
    expect(info.requestPreview).toBe("custom request");
    expect(info.responsePreview).toBeUndefined();
    expect(info.state).toBe("ERROR");
  });

  it("does nothing outside a span, warns once through the diagnostics logger and never throws", () => {
    const messages: string[] = [];
    setDiagnosticsLogger((_level, message) => messages.push(message));
    try {
      updateCurrentTrace({ tags: { a: "b" } });
      updateCurrentTrace({ tags: { a: "b" } });
    } finally {
      setDiagnosticsLogger(undefined);
    }
    expect(messages.filter((m) => m.includes("outside any span"))).toHaveLength(1);
    expect(getDiagnosticsCounts()["update-trace-no-span"]).toBeGreaterThanOrEqual(2);
  });

  it("survives a diagnostics logger that throws", () => {
    setDiagnosticsLogger(() => {
      throw new Error("bad logger");
    });
    try {
      expect(() => updateCurrentTrace({ state: "BROKEN" as "OK" })).not.toThrow();
    } finally {
      setDiagnosticsLogger(undefined);
    }
  });
});
