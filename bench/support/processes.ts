/**
 * Processes the export benchmark runs beside itself: the sink server in a child Node process (so
 * its CPU is not counted as the client's), the Python SDK script, and CPU time of the real
 * `mlflow server` process group read from /proc (Linux; elsewhere the figure is left out).
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(__dirname, "..", "..");

/** A sink server running in a child process. */
export interface ChildSink {
  readonly url: string;
  /** Request counts and the sink's own CPU time so far. */
  stats(): Promise<{ startTrace: number; otlp: number; artifacts: number; other: number; cpuMs: number }>;
  stop(): Promise<void>;
}

/** Starts bench/support/sink-server.ts in a child Node process. */
export function startChildSink(): Promise<ChildSink> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "sink-server.ts")], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return new Promise((resolveSink, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`sink server exited (${String(code)}) before printing its URL`)));
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      lines.close();
      const { url } = JSON.parse(line) as { url: string };
      resolveSink({
        url,
        stats: async () => (await (await fetch(`${url}/__stats`)).json()) as Awaited<ReturnType<ChildSink["stats"]>>,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
  });
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, ...]. */
function statFields(pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The process group of the process started with `--port <port>` (the mlflow server is detached: its own group). */
export function processGroupListeningOn(port: number): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const at = args.indexOf("--port");
      if (at >= 0 && args[at + 1] === String(port) && args.some((a) => a.endsWith("mlflow"))) {
        const pgrp = statFields(pid)?.[2];
        return pgrp === undefined ? undefined : Number(pgrp);
      }
    } catch {
      // the process went away
    }
  }
  return undefined;
}

/** User + system CPU ms of every live process in the group (utime/stime plus waited-for children). */
export function groupCpuMs(pgrp: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const f = statFields(pid);
    if (f === undefined || Number(f[2]) !== pgrp) continue;
    // utime, stime, cutime, cstime are fields 14-17 of stat, i.e. indexes 11-14 here.
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return (ticks * 1000) / ticksPerSecond();
}

/** Runs a Python script with `python` and parses the last line of its stdout as JSON. */
export function runPython(python: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<unknown> {
  return new Promise((resolveJson, reject) => {
    execFile(python, [script, ...args], { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${script} failed: ${err.message}\n${stderr.split("\n").slice(-20).join("\n")}`));
        return;
      }
      try {
        resolveJson(JSON.parse(stdout.trim().split("\n").pop() ?? ""));
      } catch {
        reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}
