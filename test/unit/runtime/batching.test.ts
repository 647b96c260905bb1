import { chunked, mapConcurrently } from "../../../operator/src/runtime/batching.js";

describe("chunked", () => {
  it("splits into slices of at most the given size", () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 500)).toEqual([]);
  });
});

describe("mapConcurrently", () => {
  it("keeps input order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrently([5, 1, 4, 2, 3, 0], 2, async (n, index) => {
      running += 1;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return `${index}:${n * 10}`;
    });
    expect(results).toEqual(["0:50", "1:10", "2:40", "3:20", "4:30", "5:0"]);
    expect(peak).toBe(2);
  });

  it("rejects with the first failure", async () => {
    await expect(
      mapConcurrently([1, 2], 2, async (n) => {
        if (n === 2) throw new Error("boom");
        return n;
      }),
    ).rejects.toThrow("boom");
  });
});
