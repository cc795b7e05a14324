/**
 * The interleaved runner every comparative benchmark uses: contenders take turns within each round
 * (the order rotates every round), so a load spike on a shared machine hits them alike, and results
 * are the median of at least five rounds with min and max printed, ratios paired round by round.
 */
import { cpus, loadavg } from "node:os";

/** One measurement of one contender: named figures (ns per operation, percent, ...). */
export type Sample = Readonly<Record<string, number>>;

/** Something measured once per round. */
export interface Contender<S extends Sample = Sample> {
  readonly name: string;
  run(): Promise<S> | S;
}

/** Median, min and max of one figure over the rounds. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** At least this many rounds, so a median means something. */
export const MIN_ROUNDS = 5;

/** Rounds from `BENCH_ROUNDS` (or `fallback`), never fewer than {@link MIN_ROUNDS}. */
export function roundsFromEnv(fallback: number): number {
  const asked = Number(process.env["BENCH_ROUNDS"] ?? fallback);
  return Math.max(MIN_ROUNDS, Number.isFinite(asked) ? Math.floor(asked) : fallback);
}

/**
 * Runs every contender once per round for `rounds` rounds after `warmup` unrecorded rounds;
 * contender k goes at position (k + round) mod n. Returns the samples by contender name, in round order.
 */
export async function interleave<S extends Sample>(contenders: readonly Contender<S>[], rounds: number, warmup = 1): Promise<Map<string, S[]>> {
  const samples = new Map<string, S[]>(contenders.map((c) => [c.name, []]));
  const n = contenders.length;
  for (let r = -warmup; r < rounds; r++) {
    for (let k = 0; k < n; k++) {
      const contender = contenders[(((k + r) % n) + n) % n] as Contender<S>;
      const sample = await contender.run();
      if (r >= 0) samples.get(contender.name)?.push(sample);
    }
  }
  return samples;
}

/** Median (the lower of the middle two for an even count), min and max. */
export function spread(values: readonly number[]): Spread {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: sorted[Math.floor((sorted.length - 1) / 2)] as number, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** One figure of every sample. */
export function figure<S extends Sample>(samples: readonly S[], key: keyof S & string): number[] {
  return samples.map((s) => s[key] as number);
}

/** Round-by-round ratios `a[i] / b[i]` (both from the same round). */
export function paired(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / (b[i] ?? NaN));
}

/** Round-by-round differences `a[i] - b[i]`. */
export function pairedDiff(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x - (b[i] ?? NaN));
}

/** `median (min–max)` with `digits` decimals and a unit suffix. */
export function fmtSpread(s: Spread, digits = 1, unit = ""): string {
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** The machine's load, printed with every result: absolute figures on a shared machine mean little without it. */
export function loadLine(): string {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `load average ${one} ${five} ${fifteen} on ${cpus().length} cores, Node ${process.versions.node}`;
}

/** Writes a line to stdout. */
export function out(line = ""): void {
  process.stdout.write(`${line}\n`);
}
