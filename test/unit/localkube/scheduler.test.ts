import { TaskScheduler } from "../../../localkube/src/scheduler.js";

describe("TaskScheduler", () => {
  it("reports a throwing task instead of letting it escape, and keeps running others", async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const scheduler = new TaskScheduler((err) => errors.push(err));
    scheduler.run(() => {
      throw new Error("boom");
    }, 0);
    scheduler.run(() => ran.push("next"), 5);
    await new Promise((r) => setTimeout(r, 30));
    expect(errors).toEqual([new Error("boom")]);
    expect(ran).toEqual(["next"]);
  });

  it("cancels pending tasks on stop and ignores new ones", async () => {
    const ran: string[] = [];
    const scheduler = new TaskScheduler(() => undefined);
    scheduler.run(() => ran.push("late"), 10);
    scheduler.stop();
    scheduler.run(() => ran.push("after stop"), 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(ran).toEqual([]);
  });
});
