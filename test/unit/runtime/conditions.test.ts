import {
  findCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
  toKubeTime,
  type Condition,
} from "../../../operator/src/runtime/status/conditions.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const T1 = Date.parse("2026-01-01T01:00:00.700Z");

const ready = (status: "True" | "False", reason = "Provisioned", message = "All targets are in sync.") => ({
  type: "Ready",
  status,
  reason,
  message,
});

describe("setCondition", () => {
  const base = setCondition(undefined, ready("True"), { now: T0, observedGeneration: 1 });

  const cases: Array<{
    name: string;
    update: ReturnType<typeof ready>;
    gen: number;
    expectTransition: string;
  }> = [
    {
      name: "same status keeps lastTransitionTime",
      update: ready("True"),
      gen: 2,
      expectTransition: "2026-01-01T00:00:00Z",
    },
    {
      name: "new reason and message alone do not count as a transition",
      update: ready("True", "StillFine", "Nothing to do."),
      gen: 3,
      expectTransition: "2026-01-01T00:00:00Z",
    },
    {
      name: "a status flip moves lastTransitionTime",
      update: ready("False", "TargetDown"),
      gen: 2,
      expectTransition: "2026-01-01T01:00:00Z",
    },
  ];

  it.each(cases)("$name", ({ update, gen, expectTransition }) => {
    const next = setCondition(base, update, { now: T1, observedGeneration: gen });
    expect(next).toHaveLength(1);
    expect(next[0]).toEqual({ ...update, lastTransitionTime: expectTransition, observedGeneration: gen });
  });

  it("appends a new type with the current time and keeps the others in order", () => {
    const next = setCondition(
      base,
      { type: "Stalled", status: "False", reason: "Progressing", message: "Working." },
      { now: T1 },
    );
    expect(next.map((c) => c.type)).toEqual(["Ready", "Stalled"]);
    expect(next[1]!.lastTransitionTime).toBe("2026-01-01T01:00:00Z");
    expect(next[1]!.observedGeneration).toBeUndefined();
  });

  it("does not modify its input", () => {
    const input: Condition[] = [...base];
    const snapshot = JSON.stringify(input);
    setCondition(input, ready("False"), { now: T1, observedGeneration: 9 });
    expect(JSON.stringify(input)).toBe(snapshot);
  });

  it("finds, tests and removes conditions", () => {
    expect(findCondition(base, "Ready")?.reason).toBe("Provisioned");
    expect(isConditionTrue(base, "Ready")).toBe(true);
    expect(isConditionTrue(base, "Missing")).toBe(false);
    expect(removeCondition(base, "Ready")).toEqual([]);
  });

  it("formats times like metav1.Time (whole seconds, UTC)", () => {
    expect(toKubeTime(T1)).toBe("2026-01-01T01:00:00Z");
  });
});
