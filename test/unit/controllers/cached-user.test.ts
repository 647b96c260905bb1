import {
  compactUserForCache,
  compactUserStatus,
  userStatusUnchanged,
} from "../../../operator/src/controllers/user/cached-user.js";
import type { KubeObject } from "../../../operator/src/runtime/index.js";

const accounts = [
  { target: "it/ldap", username: "ann", state: "Provisioned", id: "uid=ann" },
  { target: "it/pg", username: "ann", state: "Pending", message: "target unreachable" },
];
const conditions = [
  { type: "Ready", status: "True", reason: "Provisioned", message: "", lastTransitionTime: "t" },
];
const user = (status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: "ann", generation: 2 },
  spec: { username: "ann" },
  ...(status ? { status } : {}),
});

describe("the User as cached", () => {
  it("keeps a digest in place of status.accounts and everything else as it is", () => {
    const cached = compactUserForCache(user({ conditions, accounts, observedGeneration: 2 }));
    expect(cached.status).toEqual({
      conditions,
      observedGeneration: 2,
      accounts: expect.stringMatching(/^sha1:/),
    });
    expect(cached.spec).toEqual({ username: "ann" });
    expect(compactUserForCache(cached)).toEqual(cached);
    const bare = user();
    expect(compactUserForCache(bare)).toBe(bare);
  });

  it("sees an unchanged status whatever the key order of its entries", () => {
    const cached = compactUserForCache(user({ conditions, accounts }));
    const reordered = accounts.map((entry) => Object.fromEntries(Object.entries(entry).reverse()));
    expect(userStatusUnchanged(cached, { accounts: reordered, conditions })).toBe(true);
    expect(userStatusUnchanged(user({ conditions, accounts }), { conditions, accounts })).toBe(true);
  });

  it("sees any change to an account entry, to the entries' order, or to the conditions", () => {
    const cached = compactUserForCache(user({ conditions, accounts }));
    const revoked = [{ ...accounts[0], state: "Disabled" }, accounts[1]];
    expect(userStatusUnchanged(cached, { conditions, accounts: revoked })).toBe(false);
    expect(userStatusUnchanged(cached, { conditions, accounts: [...accounts].reverse() })).toBe(false);
    expect(userStatusUnchanged(cached, { conditions: [], accounts })).toBe(false);
    expect(userStatusUnchanged(user(), { conditions, accounts })).toBe(false);
  });

  it("compacts a status without accounts to itself", () => {
    const status = { conditions };
    expect(compactUserStatus(status)).toBe(status);
  });
});
