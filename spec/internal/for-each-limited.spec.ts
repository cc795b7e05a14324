import { forEachLimited } from "../../lib/internal/for-each-limited";
import { toError } from "../../lib/internal/to-error";

describe("forEachLimited", () => {
  it("calls the job once per item and index, in order, with at most `limit` running at once", async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const indexes: number[] = [];
    const gates = new Map<number, () => void>();
    const done = forEachLimited([1, 2, 3, 4, 5], 2, async (item, index) => {
      started.push(item);
      indexes.push(index);
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => gates.set(item, resolve));
      running--;
    });
    for (const item of [1, 2, 3, 4, 5]) {
      while (!gates.has(item)) await Promise.resolve();
      gates.get(item)?.();
    }
    await done;
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(indexes).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("resolves at once for no items", async () => {
    await expect(forEachLimited([], 4, () => Promise.reject(new Error("never called")))).resolves.toBeUndefined();
  });
});

describe("toError", () => {
  it("keeps an Error as it is and wraps anything else with its text", () => {
    const error = new TypeError("bad");
    expect(toError(error)).toBe(error);
    expect(toError("boom")).toMatchObject({ name: "Error", message: "boom" });
    expect(toError(undefined).message).toBe("undefined");
  });
});
