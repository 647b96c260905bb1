import { TransientError } from "../../../../operator/src/errors.js";
import { stuckSessions } from "../../../../operator/src/connectors/postgres/terminate.js";

describe("sessions still alive after termination", () => {
  const backends = [
    { name: "ada", pid: 11 },
    { name: "ada", pid: 12 },
    { name: "bob", pid: 21 },
    { name: "o'brien", pid: 31 },
  ];

  it("fails each role with a session left, counting its sessions, and no other role", () => {
    const stuck = stuckSessions(backends, new Set([12, 31]));
    expect([...stuck.keys()]).toEqual(["ada", "o'brien"]);
    const ada = stuck.get("ada");
    expect(ada).toBeInstanceOf(TransientError);
    expect(ada).toMatchObject({ reason: "SessionsStillActive" });
    expect(ada?.message).toMatch(/^1 of 2 sessions of role "ada" did not end within \d+ ms$/);
    expect(stuck.get("o'brien")?.message).toMatch(/^1 of 1 sessions of role "o'brien"/);
  });

  it("reports nothing when every signalled backend is gone", () => {
    expect(stuckSessions(backends, new Set())).toEqual(new Map());
    expect(stuckSessions([], new Set([99]))).toEqual(new Map());
  });
});
