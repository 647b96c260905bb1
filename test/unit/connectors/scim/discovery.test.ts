import { capabilitiesFrom } from "../../../../operator/src/connectors/scim/discovery.js";

const userType = {
  name: "User",
  endpoint: "/Users",
  schemaExtensions: [
    { schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false },
  ],
};
const groupType = { name: "Group", endpoint: "/Groups" };

describe("SCIM discovery", () => {
  it("reads what a full-featured provider offers", () => {
    const config = {
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      etag: { supported: true },
      bulk: { supported: false },
    };
    expect(capabilitiesFrom(config, [userType, groupType])).toEqual({
      patch: true,
      filter: true,
      maxResults: 200,
      etag: true,
      bulk: false,
      groups: true,
      enterpriseUser: true,
    });
  });

  it("reads string booleans and treats missing sections as unsupported", () => {
    const caps = capabilitiesFrom({ patch: { supported: "True" }, filter: { supported: "False" } }, [
      { name: "User" },
    ]);
    expect(caps).toEqual({
      patch: true,
      filter: false,
      maxResults: undefined,
      etag: false,
      bulk: false,
      groups: false,
      enterpriseUser: false,
    });
  });

  it("ignores a nonsensical maxResults", () => {
    expect(capabilitiesFrom({ filter: { supported: true, maxResults: -1 } }, []).maxResults).toBeUndefined();
  });
});
