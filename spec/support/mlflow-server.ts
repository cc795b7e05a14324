/**
 * Starts a real `mlflow server` (pinned version, from the virtualenv made by
 * scripts/ensure-mlflow.js) on a free loopback port with a SQLite backend and proxied artifacts in
 * a temporary folder. `stop()` kills the whole process group and removes the folder.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

/** Options of {@link startMlflowServer}. */
export interface MlflowServerOptions {
  /** `basic-auth` starts MLflow's auth app with a generated admin password. */
  readonly appName?: "basic-auth";
  /** How long to wait for `/health` (default 90 s). */
  readonly startupTimeoutMs?: number;
}

/** A running server. */
export interface MlflowServer {
  readonly url: string;
  /** The virtualenv's python, with the same pinned `mlflow` installed. */
  readonly python: string;
  /** For `basic-auth` servers: the admin user made at first start. */
  readonly admin?: { readonly username: string; readonly password: string };
  stop(): Promise<void>;
}

/** The virtualenv holding the pinned mlflow (created on first use; fast when present). */
export function ensureMlflowVenv(): string {
  const known = process.env["MLFLOW_TEST_VENV"];
  if (known) return known;
  const out = execFileSync(process.execPath, [join(ROOT, "scripts", "ensure-mlflow.js")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  const venv = out.trim().split("\n").pop() ?? "";
  process.env["MLFLOW_TEST_VENV"] = venv;
  return venv;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key.startsWith("MLFLOW_TRACKING_") || key.startsWith("MLFLOW_EXPERIMENT_")) delete env[key];
  // The job runner (huey workers) serves features these tests do not use and costs processes.
  env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false";
  env["PYTHONUNBUFFERED"] = "1";
  return env;
}

async function waitHealthy(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mlflow server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`mlflow server did not answer ${url}/health within ${timeoutMs} ms:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * @example
 * const server = await startMlflowServer();
 * setTrackingUri(server.url);
 * await server.stop();
 */
export async function startMlflowServer(options: MlflowServerOptions = {}): Promise<MlflowServer> {
  const venv = ensureMlflowVenv();
  const dir = mkdtempSync(join(tmpdir(), "mlflow-haystack-server-"));
  const logFile = join(dir, "server.log");
  const extraEnv: Record<string, string> = {};
  let admin: { username: string; password: string } | undefined;
  const args = ["server", "--host", "127.0.0.1", "--workers", "1"];
  args.push("--backend-store-uri", `sqlite:///${join(dir, "mlflow.db")}`);
  args.push("--serve-artifacts", "--artifacts-destination", join(dir, "artifacts"));
  if (options.appName === "basic-auth") {
    admin = { username: "admin", password: `pw-${randomBytes(12).toString("hex")}` };
    const ini = join(dir, "basic_auth.ini");
    writeFileSync(
      ini,
      [
        "[mlflow]",
        "default_permission = READ",
        `database_uri = sqlite:///${join(dir, "basic_auth.db")}`,
        `admin_username = ${admin.username}`,
        `admin_password = ${admin.password}`,
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
        "",
      ].join("\n"),
    );
    extraEnv["MLFLOW_AUTH_CONFIG_PATH"] = ini;
    extraEnv["MLFLOW_FLASK_SERVER_SECRET_KEY"] = randomBytes(16).toString("hex");
    args.push("--app-name", "basic-auth");
  }

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const log = openSync(logFile, "a");
    const child = spawn(join(venv, "bin", "mlflow"), [...args, "--port", String(port)], {
      cwd: dir,
      env: serverEnv(extraEnv),
      detached: true,
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, "SIGTERM");
        const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child, "SIGKILL"); // stragglers left in the group
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitHealthy(url, child, logFile, options.startupTimeoutMs ?? 90_000);
    } catch (err) {
      killGroup(child, "SIGKILL");
      await exited;
      if (attempt < 2 && /address already in use/i.test(tail(logFile))) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return { url, python: join(venv, "bin", "python"), ...(admin === undefined ? {} : { admin }), stop };
  }
}

/** Runs spec/support/python/<script> with the venv python and parses its JSON stdout. */
export function runPythonJson(python: string, script: string, args: readonly string[], env: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolveJson, reject) => {
    execFile(
      python,
      [join(ROOT, "spec", "support", "python", script), ...args],
      { env: { ...serverEnv({}), ...env }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${script} failed: ${err.message}\n${stderr}`));
          return;
        }
        try {
          resolveJson(JSON.parse(stdout.trim().split("\n").pop() ?? ""));
        } catch {
          reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
