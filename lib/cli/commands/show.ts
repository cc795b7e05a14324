/**
 * `traces show <id>|--last`: one trace as a span tree, or its raw MLflow JSON with `--json`.
 */
import { MlflowApiError } from "../../export/errors";
import { MlflowRestClient } from "../../export/clients/mlflow-rest-client";
import type { Trace } from "../../tracing/trace";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode, colorEnabled, palette } from "../cli-io";
import { renderTrace } from "../render-tree";
import { resolveSource, type SourceOptions } from "../store-source";
import { encodeTraceId, type StoredFile } from "../../export/clients/local-store/location";
import type { LocalStoreReader } from "../../export/clients/local-store/reader";

export interface ShowOptions extends SourceOptions {
  readonly last?: boolean;
  readonly verbose?: boolean;
  readonly json?: boolean;
}

/** A trace id as users paste it: `tr-` added to a bare 32-hex id, a trailing `…` / `...` (an abbreviation) dropped. */
function normaliseTraceId(traceId: string): string {
  const trimmed = traceId.trim().replace(/(…|\.\.\.)$/, "");
  return /^[0-9a-f]+$/i.test(trimmed) ? `tr-${trimmed.toLowerCase()}` : trimmed;
}

/** Hex digits a shortened trace id needs. */
const MIN_PREFIX = 6;

/** The one stored trace whose id starts with `prefix` (at least {@link MIN_PREFIX} characters after `tr-`); a usage error when several do. */
async function traceByPrefix(store: LocalStoreReader, prefix: string): Promise<Trace | undefined> {
  if (prefix.replace(/^tr-/, "").length < MIN_PREFIX) return undefined;
  const encoded = encodeTraceId(prefix);
  const matches = (await store.files()).filter((f) => f.encodedId.startsWith(encoded));
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map((f) => f.encodedId);
    throw new CliError(
      ExitCode.USAGE_ERROR,
      `${matches.length} traces start with ${prefix} (${shown.join(", ")}${matches.length > 5 ? ", …" : ""}); give more of the id.`,
    );
  }
  return matches.length === 1 ? store.readFile((matches[0] as StoredFile).name) : undefined;
}

export async function showCommand(traceId: string | undefined, options: ShowOptions, io: CliIo): Promise<void> {
  if ((traceId === undefined) === (options.last !== true)) {
    throw new CliError(ExitCode.USAGE_ERROR, "Give either a trace id or --last, e.g. `mlflow-haystack traces show --last`.");
  }
  if (traceId !== undefined) traceId = normaliseTraceId(traceId);
  const source = resolveSource(options, io.env, io.cwd ?? process.cwd());
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
    trace = (await source.store.getTrace(traceId)) ?? (await traceByPrefix(source.store, traceId));
    if (trace === undefined) {
      const short = /^tr-[0-9a-f]{1,5}$/.test(traceId) ? ` (a shortened id needs at least ${MIN_PREFIX} hex digits)` : "";
      throw new CliError(ExitCode.NOT_FOUND, `Trace ${traceId} is not in ${source.store.dir}${short}; run \`mlflow-haystack traces list\` to see the ids.`);
    }
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(trace, null, 2)}\n`);
    return;
  }
  io.stdout.write(renderTrace(trace, { verbose: options.verbose === true, colors: palette(colorEnabled(io.stdout, io.env)) }));
}
