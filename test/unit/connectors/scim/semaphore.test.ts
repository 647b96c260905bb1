import { KeyedSerializer, Semaphore } from "../../../../operator/src/connectors/scim/semaphore.js";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("Semaphore", () => {
  it("runs at most `limit` tasks at once and all of them eventually", async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("frees the slot when a task fails", async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(semaphore.run(() => Promise.resolve("next"))).resolves.toBe("next");
  });
});

describe("KeyedSerializer", () => {
  it("runs tasks of one key in order, one at a time, even after a failure", async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      };
    await Promise.allSettled([serializer.run("g", task("a", true)), serializer.run("g", task("b"))]);
    expect(log).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("lets different keys run side by side", async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([serializer.run("a", task("a")), serializer.run("b", task("b"))]);
    expect(log.slice(0, 2).sort()).toEqual(["start a", "start b"]);
  });
});
