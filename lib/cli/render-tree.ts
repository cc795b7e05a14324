/**
 * `traces show`: a trace header and its span tree, one aligned row per span (type, status,
 * duration, tokens, cost), with inputs and outputs underneath when verbose.
 */
import type { Span } from "../tracing/span";
import type { Cost, TokenUsage, Trace } from "../tracing/trace";
import type { Palette } from "./cli-io";
import { renderAssessments } from "./render-assessments";
import { recordedExperiment } from "../export/clients/local-store/recorded-experiment";
import { colorState, formatCost, formatDuration, formatTime, formatTokens, renderTable, type Cell } from "./format";

/** Options of {@link renderTrace}. */
export interface RenderOptions {
  readonly verbose: boolean;
  readonly colors: Palette;
  /** Longest inputs/outputs text printed per span before it is cut (default 2,000 chars). */
  readonly maxValueChars?: number;
}

interface Node {
  readonly span: Span;
  readonly children: Node[];
}

function buildForest(spans: readonly Span[]): Node[] {
  const nodes = new Map<string, Node>(spans.map((s) => [s.spanId, { span: s, children: [] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId === null ? undefined : nodes.get(node.span.parentId);
    (parent === undefined ? roots : parent.children).push(node);
  }
  const byStart = (a: Node, b: Node): number => (a.span.startTimeNs < b.span.startTimeNs ? -1 : a.span.startTimeNs > b.span.startTimeNs ? 1 : 0);
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

function numberRecord(value: unknown): Record<string, number> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, number>;
}

function spanUsage(span: Span): TokenUsage | undefined {
  const raw = numberRecord(span.attributes["mlflow.chat.tokenUsage"]);
  if (raw === undefined) return undefined;
  const usage = {
    inputTokens: Number(raw["input_tokens"] ?? 0),
    outputTokens: Number(raw["output_tokens"] ?? 0),
    totalTokens: Number(raw["total_tokens"] ?? 0),
  };
  const cached = raw["cache_read_input_tokens"];
  return cached === undefined ? usage : { ...usage, cacheReadInputTokens: Number(cached) };
}

function spanCost(span: Span): Cost | undefined {
  const raw = numberRecord(span.attributes["mlflow.llm.cost"]);
  if (raw === undefined) return undefined;
  return { inputCost: Number(raw["input_cost"] ?? 0), outputCost: Number(raw["output_cost"] ?? 0), totalCost: Number(raw["total_cost"] ?? 0) };
}

function durationMs(span: Span): number {
  return Number(span.endTimeNs - span.startTimeNs) / 1e6;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars; use --json for all)`;
}

function errorText(span: Span): string | undefined {
  if (span.status.code !== "ERROR") return undefined;
  const event = span.events.find((e) => e.name === "exception");
  const message = event?.attributes["exception.message"];
  const type = event?.attributes["exception.type"];
  if (typeof message === "string") return typeof type === "string" ? `${type}: ${message}` : message;
  return span.status.description || "failed";
}

/** The full `traces show` text of a trace. */
export function renderTrace(trace: Trace, options: RenderOptions): string {
  const c = options.colors;
  const info = trace.info;
  const name = info.tags["mlflow.traceName"] ?? trace.rootSpan?.name ?? "";
  const facts = [
    colorState(info.state, c),
    `started ${formatTime(info.requestTime)}`,
    formatDuration(info.executionDuration),
    `${trace.data.spans.length} span${trace.data.spans.length === 1 ? "" : "s"}`,
  ];
  if (info.tokenUsage !== undefined) facts.push(`${formatTokens(info.tokenUsage, true)} tokens`);
  if (info.cost !== undefined) facts.push(formatCost(info.cost));
  const experiment = recordedExperiment(trace);
  if (experiment !== undefined) facts.push(experiment.name !== undefined ? `experiment "${experiment.name}"` : `experiment id ${experiment.experimentId}`);
  const lines = [`${c.bold(`Trace ${info.traceId}`)}  ${name}`, facts.join(c.dim(" · ")), ""];

  const rows: Cell[][] = [];
  const details: string[][] = [];
  const walk = (node: Node, prefix: string, childPrefix: string): void => {
    const s = node.span;
    const usage = spanUsage(s);
    const cost = spanCost(s);
    rows.push([
      { text: `${prefix}${s.name}`, paint: (t) => (prefix === "" ? t : c.dim(t.slice(0, prefix.length)) + t.slice(prefix.length)) },
      { text: s.spanType, paint: c.cyan },
      { text: s.status.code === "UNSET" ? "OK" : s.status.code, paint: (t) => colorState(t, c) },
      { text: formatDuration(durationMs(s)), align: "right" },
      { text: usage === undefined ? "" : `${formatTokens(usage, true)} tok`, align: "right" },
      { text: cost === undefined ? "" : formatCost(cost), align: "right" },
    ]);
    const extra: string[] = [];
    const pad = c.dim(childPrefix + (node.children.length > 0 ? "│ " : "  "));
    const error = errorText(s);
    if (error !== undefined) extra.push(`${pad}${c.red(`error: ${error}`)}`);
    if (options.verbose) {
      const max = options.maxValueChars ?? 2000;
      if (s.inputs !== undefined) extra.push(`${pad}${c.dim("in: ")} ${clip(JSON.stringify(s.inputs), max)}`);
      if (s.outputs !== undefined) extra.push(`${pad}${c.dim("out:")} ${clip(JSON.stringify(s.outputs), max)}`);
    }
    details.push(extra);
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      walk(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
    });
  };
  for (const root of buildForest(trace.data.spans)) walk(root, "", "");
  renderTable(rows).forEach((row, i) => lines.push(row, ...(details[i] ?? [])));
  if (trace.data.spans.length === 0) lines.push(c.dim("(no spans)"));
  lines.push(...renderAssessments(info.assessments, c));
  return `${lines.join("\n")}\n`;
}
