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
  // Waits for the writes to finish (a file that made thousands of traces takes seconds on a loaded
  // machine: a 2 s deadline left writes running into the removal, which failed with ENOTEMPTY); the
  // deadline only guards against a hang.
  await shutdownExport({ timeoutMs: 30_000 });
  rmSync(dir, { recursive: true, force: true, maxRetries: 40, retryDelay: 50 });
}, 60_000);
