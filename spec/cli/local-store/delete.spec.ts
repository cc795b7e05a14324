import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteTrace } from "../../../lib/cli/local-store/delete";
import { DestinationDir, pendingIndex } from "../../../lib/export/clients/local-store/destinations";
import { encodeTraceId } from "../../../lib/export/clients/local-store/location";
import { LocalStoreReader } from "../../../lib/export/clients/local-store/reader";
import { LocalStore } from "../../../lib/export/clients/local-store/store";
import { makeTrace } from "../../export/clients/local-store/store.fixtures";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-delete-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("deleteTrace", () => {
  it("removes a trace with its bookkeeping, and says false when it was not there", async () => {
    const store = new LocalStore({ dir });
    const kept = makeTrace({ name: "kept" });
    const doomed = makeTrace({ name: "doomed" });
    const destination = { trackingUri: "http://127.0.0.1:9" };
    await store.export([kept]);
    await store.saveUndelivered([doomed], { destination });
    const reader = new LocalStoreReader(dir);

    expect(await deleteTrace(reader, doomed.info.traceId)).toBe(true);
    expect(await deleteTrace(reader, doomed.info.traceId)).toBe(false);
    expect(await reader.getTrace(doomed.info.traceId)).toBeUndefined();
    expect(await reader.count()).toBe(1);
    expect((await pendingIndex(dir)).size).toBe(0);
    expect(existsSync(new DestinationDir(dir, destination).marker("pending", encodeTraceId(doomed.info.traceId)))).toBe(false);
    expect(readdirSync(join(dir, "traces"))).toHaveLength(1);
  });
});
