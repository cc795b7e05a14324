// Every test file gets its own local trace store in a temp folder, so traces completed by tests
// never land in the working directory (the SDK's default destination). After the file, the
// exporter is shut down before the folder is removed: an export still running (or an exit flush
// registered on the shared process) must not outlive the file whose environment it belongs to.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shutdownExport } from "../../lib/export/exporter";

const dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-spec-"));
process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = dir;

afterAll(async () => {
  await shutdownExport({ timeoutMs: 2_000 });
  // A write abandoned at that deadline (a file that made thousands of traces, on a loaded machine)
  // may still be finishing: retry the removal on ENOTEMPTY rather than fail the file. Up to 8 writes
  // run at once, each fsynced: on a machine at load 8, half a second of retries was seen to run out.
  rmSync(dir, { recursive: true, force: true, maxRetries: 40, retryDelay: 50 });
});
