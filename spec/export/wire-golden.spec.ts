import * as fs from "node:fs";
import * as path from "node:path";
import { setDiagnosticsLogger } from "../../lib/internal/diagnostics";
import { captureWire, type WireCapture } from "./wire-golden.fixtures";

/**
 * What reaches the server (StartTraceV3 bodies, `traces.json`, MLflow's OTLP/JSON ingestion, the
 * OTLP client's protobuf and JSON) and `mlflow.trace.sizeStats`, byte for byte as the encoders
 * wrote them when this file was recorded. A refactor of the encoders must not change a byte.
 * Re-record (only for an intended wire change) with `UPDATE_WIRE_GOLDEN=1`.
 */
const GOLDEN = path.join(__dirname, "../support/fixtures/wire-golden.json");

describe("wire encoders", () => {
  // Spans-only mode warns that the fixture's custom metadata stays behind: expected here.
  beforeAll(() => setDiagnosticsLogger(() => undefined));
  afterAll(() => setDiagnosticsLogger(undefined));

  it("send every fixture trace byte for byte as recorded in wire-golden.json", async () => {
    const captured = await captureWire();
    if (process.env["UPDATE_WIRE_GOLDEN"] === "1") fs.writeFileSync(GOLDEN, `${JSON.stringify(captured, null, 1)}\n`);
    const golden = JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as WireCapture;
    expect(Object.keys(captured)).toEqual(Object.keys(golden));
    for (const key of Object.keys(golden)) expect([key, captured[key]]).toEqual([key, golden[key]]);
  });
});
