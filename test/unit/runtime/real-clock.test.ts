import { realClock } from "../../../operator/src/runtime/index.js";

describe("realClock timers", () => {
  it("never fires a delay longer than setTimeout allows early (an endDate next year)", async () => {
    let fired = false;
    const handle = realClock.setTimer(() => (fired = true), 400 * 86_400_000);
    await new Promise((r) => setTimeout(r, 50));
    handle.cancel();
    expect(fired).toBe(false);
  });

  it("fires a short delay", async () => {
    await new Promise<void>((resolve) => realClock.setTimer(resolve, 5));
  });
});
