import { jest } from "@jest/globals";
import type { ScimCapabilities } from "../../../../operator/src/connectors/scim/discovery.js";
import type { ScimResources } from "../../../../operator/src/connectors/scim/resources.js";
import { ScimUsers } from "../../../../operator/src/connectors/scim/users.js";

const user = (userName: string, externalId?: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  id: `id-${userName}`,
  userName,
  ...(externalId ? { externalId } : {}),
});

describe("ScimUsers' memory of reads", () => {
  afterEach(() => jest.restoreAllMocks());

  it("answers within the asked age, forgets on request, and keeps no read older than a minute", () => {
    let now = 1_000_000;
    jest.spyOn(Date, "now").mockImplementation(() => now);
    const users = new ScimUsers({} as ScimResources, {} as ScimCapabilities);
    users.remember(user("ann", "roster:x#ann"));
    users.remember(user("bob"));
    expect(users.recentlyRead("ann", 30_000)).toMatchObject({ id: "id-ann", owner: "roster:x" });
    expect(users.recentlyRead("bob", 30_000)?.owner).toBeUndefined();
    now += 31_000;
    expect(users.recentlyRead("ann", 30_000)).toBeUndefined();
    expect(users.recentlyRead("ann", 60_000)?.id).toBe("id-ann");
    users.forget("bob");
    expect(users.recentlyRead("bob", 60_000)).toBeUndefined();
    now += 30_000;
    users.remember(user("cid"));
    expect(users.recentlyRead("ann", Infinity)).toBeUndefined();
    expect(users.recentlyRead("cid", Infinity)?.id).toBe("id-cid");
  });
});
