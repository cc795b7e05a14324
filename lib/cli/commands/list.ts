/**
 * `traces list`: the newest traces of the local store, one aligned row each; with `--filter` /
 * `--order-by` (MLflow's search syntax) or a server `--tracking-uri`, the traces a search finds.
 */
import { join } from "node:path";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode, colorEnabled, palette } from "../cli-io";
import { encodeTraceId, localStoreUri } from "../../export/clients/local-store/location";
import { pendingIndex } from "../../export/clients/local-store/destinations";
import { listTraces, summarize, type TraceSummary } from "../local-store/list";
import { ConfigError, MlflowApiError } from "../../export/errors";
import { redactUrl } from "../../internal/redaction";
import { InvalidFilterError } from "../../search/errors";
import { searchTraces } from "../../search/search-traces";
import { colorState, formatCost, formatDuration, formatTime, formatTokens, renderTable, type Cell } from "../format";
import { resolveSource, serverNote, type Source, type SourceOptions } from "../store-source";

export interface ListOptions extends SourceOptions {
  readonly limit: number;
  readonly json?: boolean;
  /** MLflow search filter, e.g. `trace.status = 'ERROR'`. */
  readonly filter?: string;
  /** MLflow order-by clauses, e.g. `execution_time_ms DESC`. */
  readonly orderBy?: readonly string[];
  /** Server experiments to search (default: MLFLOW_EXPERIMENT_NAME / _ID, else Default). */
  readonly experimentId?: string;
  readonly experiment?: string;
}

/** Summaries found by a search, newest first unless `--order-by` says otherwise. */
async function searched(source: Source, options: ListOptions): Promise<TraceSummary[]> {
  const local = source.kind === "local";
  try {
    const { traces } = await searchTraces({
      trackingUri: local ? localStoreUri(source.store.dir) : source.trackingUri,
      ...(options.filter === undefined ? {} : { filter: options.filter }),
      ...(options.orderBy === undefined ? {} : { orderBy: options.orderBy }),
      ...(options.experimentId === undefined ? {} : { experimentIds: [options.experimentId] }),
      ...(options.experiment === undefined ? {} : { experimentNames: [options.experiment] }),
      maxResults: options.limit,
      includeSpans: local,
    });
    const pending = local ? await pendingIndex(source.store.dir) : new Map<string, string[]>();
    return traces.map((t) => summarize(t, pending.get(encodeTraceId(t.info.traceId)) ?? []));
  } catch (err) {
    if (err instanceof InvalidFilterError) throw new CliError(ExitCode.USAGE_ERROR, `invalid search: ${err.message}`);
    // searchTraces names its own options (`experimentNames`); here the fix is a flag.
    if (
      err instanceof ConfigError &&
      err.cause instanceof MlflowApiError &&
      err.cause.code === "RESOURCE_DOES_NOT_EXIST" &&
      options.experiment !== undefined &&
      !local
    ) {
      throw new CliError(
        ExitCode.USAGE_ERROR,
        `No experiment named "${options.experiment}" on ${redactUrl(source.trackingUri)}; check --experiment (names are case-sensitive), or pass --experiment-id.`,
      );
    }
    throw err;
  }
}

export async function listCommand(options: ListOptions, io: CliIo): Promise<void> {
  const source = resolveSource(options, io.env, io.cwd ?? process.cwd());
  if (source.kind === "local" && (options.experiment !== undefined || options.experimentId !== undefined)) {
    // The local store keeps every experiment's traces together: a filter that does nothing would mislead.
    throw new CliError(
      ExitCode.USAGE_ERROR,
      `--experiment${options.experimentId === undefined ? "" : "-id"} selects a tracking server's experiment; add --tracking-uri <uri>, or leave it out to list the local store (${source.store.dir}).`,
    );
  }
  const note = serverNote(options, io.env, source);
  if (note !== undefined) io.stderr.write(note);
  const searching = source.kind === "server" || options.filter !== undefined || options.orderBy !== undefined;
  const skipped: string[] = [];
  const summaries = searching
    ? await searched(source, options)
    : source.kind === "local"
      ? await listTraces(source.store, { limit: options.limit, onSkip: (name, reason) => skipped.push(`${name} (${reason})`) })
      : [];
  if (skipped.length > 0 && source.kind === "local") {
    io.stderr.write(
      `skipped ${skipped.length} ${skipped.length === 1 ? "entry" : "entries"} in ${join(source.store.dir, "traces")} that are not trace files: ${skipped.join(", ")}\n`,
    );
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return;
  }
  if (summaries.length === 0) {
    if (searching) io.stdout.write("No traces match.\n");
    else if (source.kind === "local") io.stdout.write(`No traces in ${source.store.dir}. Run your app with no tracking URI set, or pass --store <dir>.\n`);
    return;
  }
  const c = palette(colorEnabled(io.stdout, io.env));
  const header: Cell[] = ["TRACE ID", "NAME", "STATE", "STARTED", "DURATION", "TOKENS", "COST"].map((text, i) => ({
    text,
    paint: c.bold,
    align: i >= 4 ? "right" : "left",
  }));
  const rows: Cell[][] = summaries.map((s) => [
    { text: s.traceId },
    { text: s.name + (s.pendingFor.length > 0 ? " (unsent)" : "") },
    { text: s.state, paint: (t) => colorState(t, c) },
    { text: formatTime(s.requestTime), paint: c.dim },
    { text: formatDuration(s.durationMs), align: "right" },
    { text: formatTokens(s.tokenUsage), align: "right" },
    { text: formatCost(s.cost), align: "right" },
  ]);
  io.stdout.write(`${renderTable([header, ...rows]).join("\n")}\n`);
  if (searching || source.kind !== "local") return;
  const total = await source.store.count();
  if (total > summaries.length) io.stdout.write(c.dim(`${summaries.length} of ${total} traces; use --limit to see more.\n`));
}
