/**
 * `traces list`: the newest traces of the local store, one aligned row each.
 */
import { join } from "node:path";
import type { CliIo } from "../cli-io";
import { CliError, ExitCode, colorEnabled, palette } from "../cli-io";
import { colorState, formatCost, formatDuration, formatTime, formatTokens, renderTable, type Cell } from "../format";
import { resolveSource, type SourceOptions } from "../store-source";

export interface ListOptions extends SourceOptions {
  readonly limit: number;
  readonly json?: boolean;
}

export async function listCommand(options: ListOptions, io: CliIo): Promise<void> {
  const source = resolveSource(options, io.env, io.cwd ?? process.cwd());
  if (source.kind === "server") {
    throw new CliError(
      ExitCode.USAGE_ERROR,
      "Listing traces on a tracking server is not supported yet; open the MLflow UI, or show one trace with `traces show <id> --tracking-uri <uri>`.",
    );
  }
  const skipped: string[] = [];
  const summaries = await source.store.list({ limit: options.limit, onSkip: (name, reason) => skipped.push(`${name} (${reason})`) });
  if (skipped.length > 0) {
    io.stderr.write(`skipped ${skipped.length} ${skipped.length === 1 ? "entry" : "entries"} in ${join(source.store.dir, "traces")} that are not trace files: ${skipped.join(", ")}\n`);
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    return;
  }
  if (summaries.length === 0) {
    io.stdout.write(`No traces in ${source.store.dir}. Run your app with no tracking URI set, or pass --store <dir>.\n`);
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
  const total = await source.store.count();
  if (total > summaries.length) io.stdout.write(c.dim(`${summaries.length} of ${total} traces; use --limit to see more.\n`));
}
