import { deadlinePassed, withDeadline } from "../../../operator/src/runtime/deadline.js";

/** Work that only ends by its signal (like fetch: an already-aborted signal rejects at once). */
const never = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener("abort", () => reject(signal.reason as Error));
  });

describe("withDeadline", () => {
  it("aborts the work with a TimeoutError once the deadline passes", async () => {
    let seen: AbortSignal | undefined;
    await expect(
      withDeadline(20, undefined, (signal) => {
        seen = signal;
        return never(signal);
      }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
    expect(deadlinePassed(seen)).toBe(true);
  });

  it("passes the parent's abort (and reason) through, which is not a passed deadline", async () => {
    const parent = new AbortController();
    let seen: AbortSignal | undefined;
    const running = withDeadline(10_000, parent.signal, (signal) => {
      seen = signal;
      return never(signal);
    });
    parent.abort(new Error("shutting down"));
    await expect(running).rejects.toThrow("shutting down");
    expect(deadlinePassed(seen)).toBe(false);
  });

  it("releases the parent listener when the work settles, and an aborted parent aborts at once", async () => {
    const parent = new AbortController();
    let seen: AbortSignal | undefined;
    await withDeadline(10_000, parent.signal, async (signal) => {
      seen = signal;
      return "done";
    });
    parent.abort();
    expect(seen?.aborted).toBe(false);
    await expect(withDeadline(10_000, parent.signal, never)).rejects.toBeDefined();
  });
});
