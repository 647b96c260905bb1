import { KeyFifo } from "../../../operator/src/runtime/queue/key-fifo.js";

describe("KeyFifo", () => {
  it("serves keys in push order, once each", () => {
    const fifo = new KeyFifo();
    for (const k of ["a", "b", "a", "c"]) fifo.push(k);
    expect(fifo.size).toBe(3);
    expect([fifo.shift(), fifo.shift(), fifo.shift(), fifo.shift()]).toEqual(["a", "b", "c", undefined]);
  });

  it("serves a key deleted and pushed again at its new position only", () => {
    const fifo = new KeyFifo();
    for (const k of ["a", "b", "c"]) fifo.push(k);
    fifo.delete("a");
    fifo.push("a");
    expect([fifo.shift(), fifo.shift(), fifo.shift(), fifo.shift()]).toEqual(["b", "c", "a", undefined]);
  });

  it("keeps order across compactions with pushes interleaved", () => {
    const fifo = new KeyFifo();
    const served: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      fifo.push(`k${i}`);
      if (i % 3 === 0) served.push(fifo.shift()!);
    }
    for (let k = fifo.shift(); k !== undefined; k = fifo.shift()) served.push(k);
    const expected = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
    expect(served.length).toBe(expected.length);
    expect(served.every((k, i) => k === expected[i])).toBe(true);
  });
});
