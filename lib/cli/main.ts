#!/usr/bin/env node
/**
 * `npx mlflow-haystack traces list|show|sync|delete|prune`: look at local traces in a terminal,
 * send them to a tracking server, and tidy the local store. {@link runCli} runs in-process (tests pass their own streams and env).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { ConfigError, MlflowHaystackError } from "../export/errors";
import { CliError, ExitCode, type CliIo, type ExitCodeValue } from "./cli-io";
import { deleteCommand } from "./commands/delete";
import { listCommand } from "./commands/list";
import { pruneCommand } from "./commands/prune";
import { showCommand } from "./commands/show";
import { syncCommand, type ClientFactory } from "./commands/sync";

/** Options of {@link runCli}: the streams and environment, plus test seams. */
export interface RunCliOptions extends CliIo {
  /** Replaces the HTTP client used by `traces sync` for a destination (tests). */
  readonly clientFor?: ClientFactory;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}".`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0, got "${value}".`);
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "mlflow-haystack") return pkg.version ?? "0.0.0";
  }
  return "0.0.0";
}

function buildProgram(io: RunCliOptions): Command {
  const program = new Command("mlflow-haystack")
    .description("Look at traces recorded by mlflow-haystack and send them to an MLflow tracking server.")
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showSuggestionAfterError();
  const traces = program.command("traces").description("list, show, sync, delete and prune traces");
  const storeOption = [
    "--store <dir>",
    "local store directory (default: MLFLOW_TRACKING_URI when mlflow-haystack-local:, else MLFLOW_HAYSTACK_LOCAL_DIR, else ./mlflow-haystack-traces)",
  ] as const;

  traces
    .command("list")
    .description("newest traces first: id, name, state, start, duration, tokens, cost")
    .option("-n, --limit <count>", "how many traces", positiveInt, 20)
    .option(...storeOption)
    .option("--tracking-uri <uri>", "search this MLflow server (http://...), or a local store given as mlflow-haystack-local:<dir>")
    .option("--filter <filter>", "MLflow search filter, e.g. \"trace.status = 'ERROR' AND span.type = 'LLM'\"")
    .option("--order-by <clause>", 'MLflow order-by clause, e.g. "execution_time_ms DESC" (repeatable)', collect, undefined)
    .option("--experiment <name>", "server experiment to search (default MLFLOW_EXPERIMENT_NAME / _ID, else Default)")
    .option("--experiment-id <id>", "server experiment id to search")
    .option("--json", "print the summaries as JSON")
    .action(
      (opts: {
        limit: number;
        store?: string;
        trackingUri?: string;
        json?: boolean;
        filter?: string;
        orderBy?: string[];
        experiment?: string;
        experimentId?: string;
      }) => listCommand(opts, io),
    );

  traces
    .command("show")
    .description("one trace as a span tree with types, durations, status, tokens and cost")
    .argument("[trace-id]", "the trace id (tr-...; in the local store a unique prefix of 6+ hex digits will do)")
    .option("--last", "the newest trace of the local store")
    .option("-v, --verbose", "also print each span's inputs and outputs")
    .option("--json", "print the trace as MLflow JSON (Trace.to_json)")
    .option(...storeOption)
    .option("--tracking-uri <uri>", "read the trace from this MLflow server (http://...) instead")
    .action((id: string | undefined, opts: { last?: boolean; verbose?: boolean; json?: boolean; store?: string; trackingUri?: string }) =>
      showCommand(id, opts, io),
    );

  traces
    .command("sync")
    .description(
      "send local traces to a tracking server, exactly once and resumable; without --to, send undelivered traces to MLFLOW_TRACKING_URI when that is where they were going",
    )
    .option("--to <tracking-uri>", "the MLflow server (http://..., https://..., databricks), or file:<dir> to write MLflow's file-store layout")
    .option("--drop <tracking-uri>", "stop retrying the undelivered traces for this server (they stay in the store); with --to, only after it succeeded")
    .option("--experiment <name>", "experiment name (created when missing; default MLFLOW_EXPERIMENT_NAME / _ID, else Default)")
    .option("--experiment-id <id>", "experiment id instead of a name")
    .option("--batch-size <count>", "traces per request batch", positiveInt, 20)
    .option(...storeOption)
    .action((opts: { to?: string; drop?: string; experiment?: string; experimentId?: string; store?: string; batchSize: number }) =>
      syncCommand(opts, io, io.clientFor),
    );

  traces
    .command("delete")
    .description("remove traces from the local store, with their sync bookkeeping")
    .argument("<trace-id...>", "the trace ids (tr-..., or unique prefixes of 6+ hex digits)")
    .option(...storeOption)
    .action((ids: string[], opts: { store?: string }) => deleteCommand(ids, opts, io));

  traces
    .command("prune")
    .description("apply the local store's retention limits now (the SDK also does every few dozen writes)")
    .option("--max-traces <count>", "most traces kept, besides those waiting for sync (default MLFLOW_HAYSTACK_LOCAL_MAX_TRACES, else 1000)", positiveInt)
    .option("--max-pending <count>", "most traces kept for `traces sync` (default MLFLOW_HAYSTACK_LOCAL_MAX_PENDING, else 10000)", positiveInt)
    .option("--max-age-days <days>", "remove traces older than this (default MLFLOW_HAYSTACK_LOCAL_MAX_AGE_DAYS, else 30)", positiveNumber)
    .option(...storeOption)
    .action((opts: { store?: string; maxTraces?: number; maxPending?: number; maxAgeDays?: number }) => pruneCommand(opts, io));
  return program;
}

function exitCodeOf(err: unknown): ExitCodeValue {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof ConfigError) return ExitCode.USAGE_ERROR;
  return ExitCode.RUNTIME_ERROR;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code.
 *
 * @example
 * const code = await runCli(["traces", "list"], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(argv: readonly string[], io: RunCliOptions): Promise<ExitCodeValue> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0) return ExitCode.OK;
      return ExitCode.USAGE_ERROR;
    }
    const message = err instanceof Error ? err.message : String(err);
    const prefix = err instanceof CliError || err instanceof MlflowHaystackError ? "" : "unexpected: ";
    io.stderr.write(`error: ${prefix}${message.split("\n")[0]}\n`);
    return exitCodeOf(err);
  }
}

if (require.main === module) {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(ExitCode.OK);
  });
  void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
    process.exitCode = code;
  });
}
