import { ConfigError, ExportError, MlflowApiError, MlflowHaystackError, toExportFailure } from "../../lib/export/errors";

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
