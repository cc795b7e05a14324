/**
 * Human-readable numbers for the CLI: durations, token counts, costs, times, and column layout.
 */
import type { Cost, TokenUsage, TraceState } from "../tracing/trace";
import type { Palette } from "./cli-io";

/** `0.42 ms`, `120 ms`, `1.50 s`, `2m 03s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}

/** `42`, or with `detail` `42 (12 in / 30 out)` and `42 (12 in, 8 cached / 30 out)`; `-` when unknown. */
export function formatTokens(usage: TokenUsage | undefined, detail = false): string {
  if (usage === undefined) return "-";
  if (!detail) return String(usage.totalTokens);
  const cached = usage.cacheReadInputTokens ? `, ${usage.cacheReadInputTokens} cached` : "";
  return `${usage.totalTokens} (${usage.inputTokens} in${cached} / ${usage.outputTokens} out)`;
}

/** `$0.0012`, `$1.50`; `-` when unknown. */
export function formatCost(cost: Cost | undefined): string {
  if (cost === undefined || !Number.isFinite(cost.totalCost)) return "-";
  const total = cost.totalCost;
  if (total >= 1) return `$${total.toFixed(2)}`;
  const fixed = total.toFixed(6).replace(/0+$/, "");
  return `$${fixed.length - fixed.indexOf(".") - 1 < 2 ? total.toFixed(2) : fixed}`;
}

/** Local `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Colours a state or span status. */
export function colorState(state: TraceState | string, c: Palette): string {
  if (state === "OK") return c.green(state);
  if (state === "ERROR") return c.red(state);
  return c.yellow(state);
}

/** A table cell: its plain text (for widths) and how to paint it. */
export interface Cell {
  readonly text: string;
  readonly paint?: (s: string) => string;
  readonly align?: "left" | "right";
}

/** Lays rows out in aligned columns (two spaces apart); trailing spaces trimmed. */
export function renderTable(rows: readonly (readonly Cell[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell.text].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - [...cell.text].length);
        const painted = cell.paint ? cell.paint(cell.text) : cell.text;
        const last = i === row.length - 1;
        return cell.align === "right" ? pad + painted : last ? painted : painted + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}
