import { runInNewContext } from "node:vm";
import { ConfigError, ExportError, isDestinationUnreachable, MlflowApiError, MlflowHaystackError, toExportFailure } from "../../lib/export/errors";

describe("error family", () => {
  it("matches by instanceof across two loaded copies of the module", () => {
    let other: typeof import("../../lib/export/errors") | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof import("../../lib/export/errors")>("../../lib/export/errors");
    });
    expect(other?.ConfigError).not.toBe(ConfigError);
    const foreign = new (other as typeof import("../../lib/export/errors")).MlflowApiError("x", { code: "C", serverMessage: "", status: 500 });
    expect(foreign).toBeInstanceOf(MlflowApiError);
    expect(foreign).toBeInstanceOf(ExportError);
    expect(foreign).toBeInstanceOf(MlflowHaystackError);
    expect(foreign).not.toBeInstanceOf(ConfigError);
    expect(foreign.name).toBe("MlflowApiError");
  });

  it("classifies failures: network/5xx/429 retryable, 4xx and ConfigError final, Retry-After kept", () => {
    expect(toExportFailure("t", new ExportError("net"))).toMatchObject({ retryable: true });
    expect(toExportFailure("t", new ExportError("busy", { status: 429, retryAfterMs: 1500 }))).toEqual({
      traceId: "t",
      error: expect.any(ExportError),
      retryable: true,
      retryAfterMs: 1500,
    });
    expect(toExportFailure("t", new MlflowApiError("bad", { status: 400, code: "INVALID_PARAMETER_VALUE", serverMessage: "" }))).toMatchObject({
      retryable: false,
    });
    expect(toExportFailure("t", new ConfigError("deleted"))).toMatchObject({ retryable: false });
    expect(toExportFailure("t", "weird").error.message).toBe("weird");
  });
});

describe("isDestinationUnreachable", () => {
  const socket = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });

  it("is true for a refused connection, an unknown host or no route, also as the cause of an ExportError", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]) {
      expect(isDestinationUnreachable(socket(code))).toBe(true);
      expect(isDestinationUnreachable(new ExportError("Request failed", { cause: new ExportError("inner", { cause: socket(code) }) }))).toBe(true);
    }
  });

  it("reads errors from another realm (a vm context), as socket errors are under a test runner", () => {
    const foreign: unknown = runInNewContext("Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })");
    expect(foreign instanceof Error).toBe(false);
    expect(isDestinationUnreachable(new ExportError("Request failed", { cause: foreign }))).toBe(true);
  });

  it("is false for a server that answered, a reset or timed-out connection, and non-errors", () => {
    expect(isDestinationUnreachable(new ExportError("HTTP 503", { status: 503 }))).toBe(false);
    expect(isDestinationUnreachable(socket("ECONNRESET"))).toBe(false);
    expect(isDestinationUnreachable(socket("ETIMEDOUT"))).toBe(false);
    expect(isDestinationUnreachable("ECONNREFUSED")).toBe(false);
    expect(isDestinationUnreachable(undefined)).toBe(false);
  });
});
