import { roundTo12Digits } from "../../lib/internal/round-precision";

const viaString = (x: number): number => Number(x.toPrecision(12));

/** A deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The doubles next to `x` (one ulp down and up). */
function neighbours(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const out: number[] = [];
  for (const step of [-1n, 1n]) {
    view.setBigUint64(0, bits + step);
    out.push(view.getFloat64(0));
  }
  return out;
}

function expectSame(values: readonly number[]): void {
  const wrong = values.filter((x) => !Object.is(roundTo12Digits(x), viaString(x)));
  expect(wrong.map((x) => [x, roundTo12Digits(x), viaString(x)])).toEqual([]);
}

describe("roundTo12Digits", () => {
  it("gives Number(x.toPrecision(12)) for special and boundary values", () => {
    const special = [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON, 2 ** -1074, 2 ** 53, 2 ** 53 + 2];
    const powers = Array.from({ length: 81 }, (_, i) => Number(`1e${i - 40}`));
    const nines = Array.from({ length: 41 }, (_, i) => Number(`9.99999999999${i % 10}e${i - 20}`));
    const values = [...special, ...powers, ...nines];
    expectSame([...values, ...values.flatMap(neighbours), ...values.map((x) => -x)]);
  });

  it("gives Number(x.toPrecision(12)) at and around every kind of rounding tie", () => {
    const next = random(12);
    const ties: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // A 12-digit n plus one half, at a decimal exponent where the fast path applies and beyond it.
      const n = 100_000_000_000 + Math.floor(next() * 899_999_999_999);
      const exponent = Math.floor(next() * 40) - 30;
      const x = Number(`${n}.5e${exponent}`);
      ties.push(x, ...neighbours(x), Number(`${n}.4999e${exponent}`), Number(`${n}.5001e${exponent}`));
    }
    expectSame(ties);
  });

  it("gives Number(x.toPrecision(12)) for random doubles and for costs as costOf computes them", () => {
    const next = random(7);
    const values: number[] = [];
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 50_000; i++) {
      view.setUint32(0, Math.floor(next() * 2 ** 32));
      view.setUint32(4, Math.floor(next() * 2 ** 32));
      values.push(view.getFloat64(0));
      values.push(next() * 10 ** (Math.floor(next() * 30) - 15));
    }
    const prices = [0.005, 0.025, 0.05, 0.075, 0.1, 0.125, 0.13, 0.15, 0.25, 0.275, 0.4, 0.5, 0.55, 0.6, 1.1, 1.25, 1.6, 2, 2.5, 4.4, 8, 10, 0.3, 1.2];
    for (let tokens = 0; tokens < 5_000; tokens++) {
      for (const price of prices) values.push((tokens * price) / 1e6, ((tokens * 37 + 11) * price) / 1e6 + (tokens * price) / 1e6);
    }
    expectSame(values);
  });
});
