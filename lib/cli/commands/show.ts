/**
 * `traces show <id>|--last`: one trace as a span tree, or its raw MLflow JSON with `--json`.
 */
import { MlflowApiError } from "../../export/errors";
import { MlflowRestClient } from "../../export/clients/mlflow-rest-client";
import type { Trace } from "../../tracing/trace";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode, colorEnabled, palette } from "../cli-io";
import { renderTrace } from "../render-tree";
import { resolveSource, serverNote, type SourceOptions } from "../store-source";
import { findTraceFile, normaliseTraceId, shortIdHint } from "../trace-id-arg";

export interface ShowOptions extends SourceOptions {
  readonly last?: boolean;
  readonly verbose?: boolean;
  readonly json?: boolean;
}

export async function showCommand(traceId: string | undefined, options: ShowOptions, io: CliIo): Promise<void> {
  if ((traceId === undefined) === (options.last !== true)) {
    throw new CliError(ExitCode.USAGE_ERROR, "Give either a trace id or --last, e.g. `mlflow-haystack traces show --last`.");
  }
  if (traceId !== undefined) traceId = normaliseTraceId(traceId);
  const source = resolveSource(options, io.env, io.cwd ?? process.cwd());
  const note = serverNote(options, io.env, source);
  if (note !== undefined) io.stderr.write(note);
  let trace: Trace | undefined;
  if (source.kind === "server") {
    if (traceId === undefined) {
      throw new CliError(ExitCode.USAGE_ERROR, "--last works on the local store only; pass a trace id with --tracking-uri.");
    }
    const client = new MlflowRestClient({ trackingUri: source.trackingUri, spansOnly: false });
    try {
      trace = await client.getTrace(traceId, { signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      if (err instanceof MlflowApiError && err.status === 404) {
        throw new CliError(
          ExitCode.RUNTIME_ERROR,
          `${source.trackingUri} answered HTTP 404 without an MLflow error (${err.code}): is it an MLflow tracking server, with the right base path?`,
        );
      }
      throw err;
    } finally {
      await client.shutdown();
    }
    if (trace === undefined) throw new CliError(ExitCode.NOT_FOUND, `Trace ${traceId} does not exist on ${source.trackingUri}.`);
  } else if (traceId === undefined) {
    trace = await source.store.lastTrace();
    if (trace === undefined) throw new CliError(ExitCode.NOT_FOUND, `No traces in ${source.store.dir}; run your app first, or pass --store <dir>.`);
  } else {
    const file = await findTraceFile(source.store, traceId);
    trace = file === undefined ? undefined : await source.store.readFile(file.name);
    if (trace === undefined) {
      throw new CliError(
        ExitCode.NOT_FOUND,
        `Trace ${traceId} is not in ${source.store.dir}${shortIdHint(traceId)}; run \`mlflow-haystack traces list\` to see the ids.`,
      );
    }
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(trace, null, 2)}\n`);
    return;
  }
  io.stdout.write(renderTrace(trace, { verbose: options.verbose === true, colors: palette(colorEnabled(io.stdout, io.env)) }));
}
