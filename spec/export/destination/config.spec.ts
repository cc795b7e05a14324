import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectionFor,
  getExperimentSpec,
  getTrackingUri,
  parseTrackingUri,
  resetExportConfig,
  setExperiment,
  setTrackingUri,
} from "../../../lib/export/destination/config";
import { ConfigError } from "../../../lib/export/errors";

describe("tracking URI configuration", () => {
  const saved = { ...process.env };
  beforeEach(() => {
    resetExportConfig();
    for (const key of Object.keys(process.env)) if (/^(MLFLOW_|DATABRICKS_)/.test(key)) delete process.env[key];
  });
  afterEach(() => {
    process.env = { ...saved };
    resetExportConfig();
  });

  it("uses setTrackingUri over MLFLOW_TRACKING_URI, and undefined (local store) when neither is set", () => {
    expect(getTrackingUri()).toBeUndefined();
    process.env["MLFLOW_TRACKING_URI"] = "http://env-host:5000";
    expect(getTrackingUri()).toBe("http://env-host:5000");
    setTrackingUri("https://mlflow.example.com/prefix/");
    expect(getTrackingUri()).toBe("https://mlflow.example.com/prefix/");
    expect(parseTrackingUri("https://mlflow.example.com/prefix/")).toMatchObject({ kind: "mlflow", baseUrl: "https://mlflow.example.com/prefix" });
    setTrackingUri(undefined);
    expect(getTrackingUri()).toBe("http://env-host:5000");
  });

  it.each(["sqlite:///mlflow.db", "file:///tmp/mlruns", "postgresql://db.internal/mlflow", "./mlruns"])(
    "refuses %s with a ConfigError telling to run mlflow server on it",
    (uri) => {
      expect(() => setTrackingUri(uri)).toThrow(ConfigError);
      expect(() => setTrackingUri(uri)).toThrow(`mlflow server --backend-store-uri ${uri}`);
      expect(getTrackingUri()).toBeUndefined();
    },
  );

  it.each(["127.0.0.1:5000", "localhost:5000", "mlflow.internal:8080/prefix"])("refuses the scheme-less %s and suggests http://", (uri) => {
    expect(() => setTrackingUri(uri)).toThrow(`has no scheme: use "http://${uri}"`);
    expect(() => setTrackingUri(uri)).not.toThrow("--backend-store-uri");
  });

  it.each(["htp://127.0.0.1:5000", "grpc://collector:4317"])("names the schemes it takes for the unknown scheme of %s", (uri) => {
    expect(() => setTrackingUri(uri)).toThrow(ConfigError);
    expect(() => setTrackingUri(uri)).toThrow(/scheme "(htp|grpc)" is not one this SDK talks to: use http:\/\/, https:\/\/, databricks/);
    expect(() => setTrackingUri(uri)).not.toThrow("--backend-store-uri");
  });

  it("refuses a tracking URI that is not a string with a ConfigError naming the type", () => {
    expect(() => setTrackingUri(5000 as unknown as string)).toThrow(ConfigError);
    expect(() => setTrackingUri(5000 as unknown as string)).toThrow(
      'setTrackingUri expects a string such as "http://127.0.0.1:5000" (or undefined), got 5000 (a number)',
    );
    expect(getTrackingUri()).toBeUndefined();
  });

  it("never repeats a password from an unsupported URI", () => {
    expect(() => setTrackingUri("postgresql://admin:pg-secret@db/mlflow")).toThrow("--backend-store-uri postgresql://***@db/mlflow");
  });

  it("refuses credentials inside the URI without repeating them", () => {
    let message = "";
    try {
      setTrackingUri("http://bob:s3cret-pw@host:5000");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("MLFLOW_TRACKING_USERNAME");
    expect(message).not.toContain("s3cret-pw");
  });

  it("databricks uses DATABRICKS_HOST/DATABRICKS_TOKEN, and databricks://<profile> reads ~/.databrickscfg", () => {
    process.env["DATABRICKS_HOST"] = "adb-1.azuredatabricks.net";
    process.env["DATABRICKS_TOKEN"] = "dapi-env";
    setTrackingUri("databricks");
    expect(connectionFor("databricks")).toMatchObject({
      baseUrl: "https://adb-1.azuredatabricks.net",
      auth: { kind: "databricks", authorization: "Bearer dapi-env" },
    });

    const dir = mkdtempSync(join(tmpdir(), "dbcfg-"));
    try {
      const file = join(dir, "cfg");
      writeFileSync(file, "[DEFAULT]\nhost = https://default.cloud.databricks.com\n\n[staging]\ntoken = dapi-staging ; not a comment\n# comment\n");
      process.env["DATABRICKS_CONFIG_FILE"] = file;
      setTrackingUri("databricks://staging");
      expect(connectionFor("databricks://staging")).toMatchObject({
        baseUrl: "https://default.cloud.databricks.com",
        auth: { authorization: "Bearer dapi-staging ; not a comment" },
      });
      expect(() => setTrackingUri("databricks://missing")).toThrow(/has no \[missing\] profile.*DATABRICKS_HOST and DATABRICKS_TOKEN/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["DATABRICKS_HOST", "DATABRICKS_TOKEN", "adb-1.azuredatabricks.net"],
    ["DATABRICKS_TOKEN", "DATABRICKS_HOST", "dapi-half-set"],
  ])("with only %s set, the error names the missing %s and never shows the token", (set, missing, value) => {
    process.env[set] = value;
    process.env["DATABRICKS_CONFIG_FILE"] = join(tmpdir(), "no-such-databrickscfg");
    expect(() => setTrackingUri("databricks")).toThrow(ConfigError);
    expect(() => setTrackingUri("databricks")).toThrow(`${set} is set but ${missing} is not: set ${missing} too`);
    expect(() => setTrackingUri("databricks")).not.toThrow("dapi-half-set");
  });

  it("MLflow credentials: basic auth before bearer, TLS verification unless MLFLOW_TRACKING_INSECURE_TLS=true", () => {
    process.env["MLFLOW_TRACKING_TOKEN"] = "tok";
    expect(connectionFor("http://h").auth.kind).toBe("bearer");
    process.env["MLFLOW_TRACKING_USERNAME"] = "u";
    process.env["MLFLOW_TRACKING_PASSWORD"] = "p";
    expect(connectionFor("http://h").auth).toMatchObject({ kind: "basic", authorization: `Basic ${Buffer.from("u:p").toString("base64")}` });
    expect(connectionFor("https://h").insecureTls).toBe(false);
    process.env["MLFLOW_TRACKING_INSECURE_TLS"] = "true";
    expect(connectionFor("https://h").insecureTls).toBe(true);
  });
});

describe("setExperiment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetExportConfig();
  });

  it("prefers setExperiment, then MLFLOW_EXPERIMENT_NAME (with MLFLOW_EXPERIMENT_ID), then MLFLOW_EXPERIMENT_ID", () => {
    resetExportConfig();
    delete process.env["MLFLOW_EXPERIMENT_NAME"];
    process.env["MLFLOW_EXPERIMENT_ID"] = "7";
    expect(getExperimentSpec()).toEqual({ experimentId: "7" });
    process.env["MLFLOW_EXPERIMENT_NAME"] = "from-env";
    expect(getExperimentSpec()).toEqual({ name: "from-env", experimentId: "7" });
    void setExperiment({ experimentId: "3" });
    expect(getExperimentSpec()).toEqual({ experimentId: "3" });
  });

  it.each([
    [12, 'got 12 (a number); for an experiment id write setExperiment({ experimentId: "12" })'],
    [null, "got null"],
    [[], "got an empty array"],
  ])("refuses %p with a ConfigError naming what it expects", (value, got) => {
    expect(() => setExperiment(value as unknown as string)).toThrow(ConfigError);
    expect(() => setExperiment(value as unknown as string)).toThrow(got);
  });

  it("does nothing until awaited: an unreachable server causes no unhandled rejection", async () => {
    setTrackingUri("http://127.0.0.1:9");
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      void setExperiment("never-awaited");
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
      await expect(setExperiment("awaited")).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("resolves locally (no server) when no tracking URI is set", async () => {
    resetExportConfig();
    delete process.env["MLFLOW_TRACKING_URI"];
    await expect(setExperiment({ experimentId: "5" })).resolves.toMatchObject({ experimentId: "5" });
    expect(() => setExperiment("  ")).toThrow(ConfigError);
  });
});

describe("credentials in tracking URIs never reach an error message", () => {
  it.each(["http://alice:p@ss@127.0.0.1:5000", "http://alice:pa/ss@host:5000", "postgresql://u:pw/d@h/db"])("hides the password of %s", async (uri) => {
    const { setTrackingUri } = await import("../../../lib/export/destination/config");
    let message = "";
    try {
      setTrackingUri(uri);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe("");
    for (const secret of ["p@ss", "pa/ss", "pw/d", "ss@"]) expect(message).not.toContain(secret);
  });
});
