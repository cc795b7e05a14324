/**
 * Checks that an options object passed from JavaScript (or spread from a larger object) holds only
 * known keys: a misspelt key — `contentTrace` for `contentTracing` — would otherwise be ignored
 * without a word, and some of these options are privacy switches.
 */
import { describeValue } from "./describe-value";
import { ConfigError } from "./errors";

/** Edit distance between `a` and `b` (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** The known key closest to `key`, when it is close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase().startsWith(key.toLowerCase()) || key.toLowerCase().startsWith(candidate.toLowerCase()) ? 1 : distance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Throws {@link ConfigError} when `options` is not a plain object or has a key not in `known`,
 * naming the key, the closest known one and the full list.
 *
 * @example
 * checkOptionKeys("configureTracing", { contentTrace: false }, ["contentTracing"]);
 * // ConfigError: configureTracing: unknown option `contentTrace`; did you mean `contentTracing`? …
 */
export function checkOptionKeys(api: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ConfigError(`${api}: expected an options object such as { ${known[0] ?? ""}: … }, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    const hint = near === undefined ? "." : `; did you mean \`${near}\`?`;
    throw new ConfigError(`${api}: unknown option \`${key}\`${hint} Known options: ${known.join(", ")}`);
  }
}
