/**
 * `Number(x.toPrecision(12))` without the decimal string: costs are rounded to 12 significant digits
 * (three values per LLM span, three per trace's sum), and `toPrecision`'s exact decimal conversion
 * was most of what recording a cost took.
 */

/** Powers of ten that are exact doubles (10^0 … 10^22). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * `x` rounded to 12 significant digits: the same double as `Number(x.toPrecision(12))` for every `x`.
 *
 * Where `x · 10^k` lands well inside [10^11, 10^12) and well away from a rounding tie, `Math.round`
 * of the product picks the same 12 digits `n` that `toPrecision` picks from `x`'s exact value (the
 * product's error is under 10^-4), and `n / 10^k` — two exact doubles, one correctly rounded
 * division — is the double nearest `n · 10^-k`, which is what parsing the digits gives. Anything
 * else (zero, negative, huge or tiny values, near-ties) goes through `toPrecision`.
 *
 * @example
 * roundTo12Digits(0.1 + 0.2); // 0.3
 */
export function roundTo12Digits(x: number): number {
  if (x > 0) {
    const k = 11 - Math.floor(Math.log10(x));
    const scale = POW10[k];
    if (scale !== undefined) {
      const y = x * scale;
      if (y >= 100_000_000_001 && y <= 999_999_999_998) {
        const fraction = y - Math.floor(y);
        if (fraction < 0.499 || fraction > 0.501) return Math.round(y) / scale;
      }
    }
  }
  return Number(x.toPrecision(12));
}
