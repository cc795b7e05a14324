/**
 * What `traces sync` prints: progress on stderr, and one result line per destination that names
 * the server and the experiment.
 */
import type { ExperimentSpec } from "../../export/mlflow/experiments";
import type { SyncProgress, SyncResult } from "../../export/clients/local-store/sync";
import type { CliIo } from "../cli-io";

/** `experiment "demo"`, `experiment id 12`, or the trace's own experiment when none was recorded. */
export function describeExperiment(experiment: ExperimentSpec | undefined): string {
  if (experiment?.name !== undefined) return `experiment "${experiment.name}"`;
  if (experiment?.experimentId !== undefined) return `experiment id ${experiment.experimentId}`;
  return "each trace's own experiment";
}

export function progressReporter(io: CliIo): (p: SyncProgress) => void {
  const tty = io.stderr.isTTY === true;
  let lastPct = -1;
  return (p) => {
    if (p.total <= 0) return;
    const pct = Math.floor((p.done / p.total) * 100);
    const already = p.alreadyThere > 0 ? `, ${p.alreadyThere} already there` : "";
    const line = `sync: ${p.done}/${p.total} traces tried, ${p.sent} sent${already}, ${p.failed} failed`;
    if (tty) io.stderr.write(`\r${line}${p.done === p.total ? "\n" : ""}`);
    else if (pct >= lastPct + 10 || p.done === p.total) io.stderr.write(`${line}\n`);
    lastPct = pct;
  };
}

/** Prints one destination's result; true when nothing failed. */
export function reportResult(io: CliIo, uri: string, experiment: ExperimentSpec | undefined, result: SyncResult): boolean {
  const already = result.alreadyThere > 0 ? ` (${result.alreadyThere} were already there)` : "";
  io.stdout.write(`Sent ${result.sent} trace(s) to ${uri}, ${describeExperiment(experiment)}${already}; ${result.failed} failed.\n`);
  for (const f of result.failures.slice(0, 5)) io.stderr.write(`  ${f.traceId}: ${f.error.message.split("\n")[0]}\n`);
  if (result.failures.length > 5) io.stderr.write(`  ... and ${result.failures.length - 5} more\n`);
  return result.failed === 0;
}
