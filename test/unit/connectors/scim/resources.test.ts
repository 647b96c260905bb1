/** Paged listing and exact lookups of ScimResources over a scripted provider (a unit-test fake). */
import { tokenSource } from "../../../../operator/src/connectors/scim/auth.js";
import { parseScimConfig } from "../../../../operator/src/connectors/scim/config.js";
import type { ScimCapabilities } from "../../../../operator/src/connectors/scim/discovery.js";
import { ScimResources } from "../../../../operator/src/connectors/scim/resources.js";
import { ScimTransport } from "../../../../operator/src/connectors/scim/transport.js";

const caps: ScimCapabilities = {
  patch: true,
  filter: true,
  maxResults: undefined,
  etag: false,
  bulk: false,
  groups: true,
  enterpriseUser: true,
};
const users = Array.from({ length: 23 }, (_, i) => ({ id: `id-${i}`, userName: `user-${i}` }));

/** A provider over `users`: `pageCap` limits page size, `honoursStartIndex` false repeats page 1. */
function provider(options: {
  pageCap?: number;
  honoursStartIndex?: boolean;
  totals?: boolean;
  filterResult?: object[];
}) {
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    if (url.searchParams.has("filter"))
      return Response.json({
        Resources: options.filterResult ?? [],
        totalResults: options.filterResult?.length ?? 0,
      });
    const start = options.honoursStartIndex === false ? 1 : Number(url.searchParams.get("startIndex"));
    const count = Math.min(Number(url.searchParams.get("count")), options.pageCap ?? Infinity);
    const page = users.slice(start - 1, start - 1 + count);
    return Response.json({
      Resources: page,
      ...(options.totals === false ? {} : { totalResults: users.length }),
      startIndex: start,
      itemsPerPage: page.length,
    });
  }) as typeof fetch;
  const config = parseScimConfig({
    baseURL: "https://scim.example.com",
    auth: { type: "bearer", token: "t" },
    pageSize: 5,
  });
  const transport = new ScimTransport(config, tokenSource(config.auth, fetchImpl, 1000), {
    fetch: fetchImpl,
  });
  return new ScimResources(transport, config, caps, "/Users");
}

describe("SCIM paged listing", () => {
  it("reads every page", async () => {
    expect(await provider({}).listAll()).toHaveLength(23);
  });

  it("follows a provider that returns fewer per page than asked", async () => {
    expect(await provider({ pageCap: 3 }).listAll()).toHaveLength(23);
  });

  it("reads until an empty page when the provider gives no totalResults", async () => {
    expect(await provider({ totals: false }).listAll()).toHaveLength(23);
  });

  it("refuses to return a partial list when the provider ignores startIndex", async () => {
    await expect(provider({ honoursStartIndex: false }).listAll()).rejects.toMatchObject({
      reason: "PagingNotHonoured",
      message: expect.stringContaining("(5 of 23 read)") as unknown,
    });
  });
});

describe("SCIM exact lookups", () => {
  it("ignores filter results that do not match exactly", async () => {
    const resources = provider({ filterResult: [{ id: "1", userName: "victim" }] });
    await expect(resources.findBy("userName", 'x" or userName pr "')).resolves.toBeUndefined();
  });

  it("accepts the provider's case-insensitive match when there is no exact one", async () => {
    const resources = provider({ filterResult: [{ id: "1", userName: "Alice" }] });
    await expect(resources.findBy("userName", "alice")).resolves.toMatchObject({ id: "1" });
  });

  it("refuses an ambiguous answer", async () => {
    const resources = provider({
      filterResult: [
        { id: "1", userName: "Alice" },
        { id: "2", userName: "ALICE" },
      ],
    });
    await expect(resources.findBy("userName", "alice")).rejects.toMatchObject({ reason: "AmbiguousLookup" });
  });
});
