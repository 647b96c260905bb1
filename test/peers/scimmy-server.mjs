// A second SCIM 2.0 peer for Roster's tests: the `scimmy` protocol library served through
// `scimmy-routers` (Express). The resource handlers below are a minimal in-memory application
// behind the library (the library does the SCIM parsing, filtering, PATCH and list responses).
//
//   node test/peers/scimmy-server.mjs --port P --token T [--no-patch]
//
// --no-patch advertises `patch.supported: false` in the ServiceProviderConfig (a provider that
// only takes full PUTs).
// --oauth-client ID:SECRET also serves an OAuth 2.0 client-credentials token endpoint at
// /oauth/token (client authentication by HTTP Basic, RFC 6749 §2.3.1) whose access tokens, valid
// --oauth-ttl seconds (default 3600), are accepted like the static token.
// Prints one line `READY <baseURL>` on stdout when it accepts requests. The store enforces what a
// real application would: unique userName / displayName (409 uniqueness), and resource versions
// (meta.version, If-Match on PUT / PATCH / DELETE answered with 412 on mismatch), so the
// ServiceProviderConfig advertises etag support.
import process from "node:process";
import { parseArgs } from "node:util";
import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    token: { type: "string" },
    "no-patch": { type: "boolean", default: false },
    "oauth-client": { type: "string" },
    "oauth-ttl": { type: "string", default: "3600" },
  },
});
if (!values.port || !values.token) {
  process.stderr.write("usage: scimmy-server.mjs --port P --token T" + "\n");
  process.exit(2);
}

/** One in-memory collection of SCIM resources with versions and a unique key. */
function collection(resourceType, uniqueKey) {
  const items = new Map();
  const plain = (instance) => JSON.parse(JSON.stringify(instance));
  const version = (record) => `W/"${record.version}"`;
  const view = (record) => ({
    ...record.data,
    id: record.id,
    meta: {
      resourceType,
      created: record.created,
      lastModified: record.lastModified,
      version: version(record),
    },
  });
  // A unique index on the key (case-insensitive, as userName and displayName are in SCIM).
  const index = new Map();
  const keyOf = (data) => String(data[uniqueKey]).toLowerCase();
  const clash = (data, id) => {
    const holder = index.get(keyOf(data));
    return holder !== undefined && holder !== id;
  };
  const checkVersion = (record, ctx) => {
    if (ctx?.ifMatch && ctx.ifMatch !== "*" && ctx.ifMatch !== version(record))
      throw new SCIMMY.Types.Error(
        412,
        null,
        `${resourceType} ${record.id} has changed (version ${version(record)})`,
      );
  };
  // Listing views are cached until their record changes (single-resource reads get a fresh copy,
  // which the library may patch in place).
  const listViews = new Map();
  const listView = (record) => {
    if (!listViews.has(record.id)) listViews.set(record.id, view(record));
    return listViews.get(record.id);
  };
  return {
    items,
    /** Drops the cached listing view of a record changed outside ingress. */
    touched: (id) => listViews.delete(id),
    egress(resource) {
      if (resource.id) {
        const record = items.get(resource.id);
        if (!record) throw new SCIMMY.Types.Error(404, null, `${resourceType} ${resource.id} not found`);
        return view(record);
      }
      const all = [...items.values()].map(listView);
      const matched = resource.filter ? resource.filter.match(all) : all;
      const { startIndex = 1, count } = resource.constraints ?? {};
      if (count === undefined) return matched;
      // Page here, as an application with many users would, so the library does not build a
      // schema instance of every user for every page. (scimmy then leaves a page starting at
      // 1 + k * count as it is; that is the only shape Roster's connector asks for.)
      resource.constraints = { ...resource.constraints, totalResults: matched.length };
      return matched.slice(startIndex - 1, startIndex - 1 + count);
    },
    ingress(resource, instance, ctx) {
      const data = plain(instance);
      delete data.id;
      delete data.meta;
      if (clash(data, resource.id))
        throw new SCIMMY.Types.Error(
          409,
          "uniqueness",
          `${uniqueKey} ${JSON.stringify(data[uniqueKey])} is taken`,
        );
      const now = new Date().toISOString();
      if (resource.id) {
        const record = items.get(resource.id);
        if (!record) throw new SCIMMY.Types.Error(404, null, `${resourceType} ${resource.id} not found`);
        checkVersion(record, ctx);
        index.delete(keyOf(record.data));
        index.set(keyOf(data), record.id);
        Object.assign(record, { data, lastModified: now, version: record.version + 1 });
        listViews.delete(record.id);
        return view(record);
      }
      const record = { id: randomUUID(), data, created: now, lastModified: now, version: 1 };
      items.set(record.id, record);
      index.set(keyOf(data), record.id);
      return view(record);
    },
    degress(resource, ctx) {
      const record = items.get(resource.id);
      if (!record) throw new SCIMMY.Types.Error(404, null, `${resourceType} ${resource.id} not found`);
      checkVersion(record, ctx);
      items.delete(resource.id);
      listViews.delete(resource.id);
      index.delete(keyOf(record.data));
    },
  };
}

const users = collection("User", "userName");
const groups = collection("Group", "displayName");

SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
  .ingress((resource, instance, ctx) => users.ingress(resource, instance, ctx))
  .egress((resource) => users.egress(resource))
  .degress((resource, ctx) => {
    users.degress(resource, ctx);
    // A deleted user leaves every group, as a real application would do.
    for (const group of groups.items.values()) {
      const members = group.data.members ?? [];
      if (!members.some((m) => m.value === resource.id)) continue;
      group.data.members = members.filter((m) => m.value !== resource.id);
      groups.touched(group.id);
    }
  });
SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .ingress((resource, instance, ctx) => groups.ingress(resource, instance, ctx))
  .egress((resource) => groups.egress(resource))
  .degress((resource, ctx) => groups.degress(resource, ctx));

/** Access tokens issued by the token endpoint: token -> expiry (ms since epoch). */
const issued = new Map();

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4) for the one configured client. */
function tokenEndpoint(request, response) {
  const [scheme, encoded] = (request.header("Authorization") ?? "").split(" ");
  const credentials = scheme === "Basic" ? Buffer.from(encoded ?? "", "base64").toString() : "";
  const [id, secret] = credentials.split(":").map((part) => decodeURIComponent(part ?? ""));
  if (!values["oauth-client"] || `${id}:${secret}` !== values["oauth-client"])
    return response.status(401).json({ error: "invalid_client" });
  if (request.body?.grant_type !== "client_credentials")
    return response.status(400).json({ error: "unsupported_grant_type" });
  const ttl = Number(values["oauth-ttl"]);
  const accessToken = `at-${randomUUID()}`;
  issued.set(accessToken, Date.now() + ttl * 1000);
  response.json({ access_token: accessToken, token_type: "Bearer", expires_in: ttl });
}

function authenticated(header) {
  if (header === `Bearer ${values.token}`) return true;
  const expiry = issued.get(header?.replace(/^Bearer /, ""));
  return expiry !== undefined && Date.now() < expiry;
}

const app = express();
app.set("etag", false);
app.post("/oauth/token", express.urlencoded({ extended: false }), tokenEndpoint);
app.use(
  "/scim/v2",
  new SCIMMYRouters({
    type: "bearer",
    handler: (request) => {
      if (!authenticated(request.header("Authorization"))) throw new Error("Invalid bearer token");
      return "roster";
    },
    context: (request) => ({ ifMatch: request.header("If-Match") }),
  }),
);
// Set after the routers, whose constructor sets its own defaults.
SCIMMY.Config.set({
  patch: !values["no-patch"],
  etag: true,
  bulk: false,
  filter: { supported: true, maxResults: 200 },
});

const server = app.listen(Number(values.port), "127.0.0.1", () => {
  process.stdout.write(`READY http://127.0.0.1:${values.port}/scim/v2\n`);
});
const shutdown = () => server.close(() => process.exit(0));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
