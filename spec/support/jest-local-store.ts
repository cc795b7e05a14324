// Every test file gets its own local trace store in a temp folder, so traces completed by tests
// never land in the working directory (the SDK's default destination), and removes it afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-spec-"));
process.env["MLFLOW_HAYSTACK_LOCAL_DIR"] = dir;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
