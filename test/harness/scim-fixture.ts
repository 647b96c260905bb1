/**
 * The connector-contract backend for a SCIM peer: fixtures and inspections go straight to the
 * peer over HTTP (test/harness/scim.ts `request`), never through the connector under test.
 */
import type { AttributeValue } from "../../operator/src/engine/connector.js";
import {
  parseScimConfig,
  ScimConnector,
  type ScimConfigInput,
} from "../../operator/src/connectors/scim/index.js";
import type { ContractBackend, InspectedAccount } from "../integration/connectors/contract-suite.js";
import type { ScimPeer } from "./scim.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});

/** Resources of a ListResponse answered by the peer. */
function resources(body: unknown): Json[] {
  const list = record(body).Resources;
  return Array.isArray(list) ? list.map(record) : [];
}

export async function findRaw(
  peer: ScimPeer,
  endpoint: string,
  attribute: string,
  value: string,
): Promise<Json | undefined> {
  const filter = encodeURIComponent(`${attribute} eq ${JSON.stringify(value)}`);
  const answer = await peer.request("GET", `${endpoint}?filter=${filter}`);
  if (answer.status !== 200) throw new Error(`${peer.name} GET ${endpoint} filter answered ${answer.status}`);
  return resources(answer.body).find((r) => r[attribute] === value);
}

/** Creates a group straight in the peer (idempotent) and returns its id. */
export async function ensureGroup(peer: ScimPeer, displayName: string): Promise<string> {
  const existing = await findRaw(peer, "/Groups", "displayName", displayName);
  if (existing) return String(existing.id);
  const created = await peer.request("POST", "/Groups", { schemas: [GROUP], displayName, members: [] });
  if (created.status !== 201) throw new Error(`${peer.name} POST /Groups answered ${created.status}`);
  return String(record(created.body).id);
}

function attributesOf(user: Json): Record<string, AttributeValue> {
  const name = record(user.name);
  const enterprise = record(user[ENTERPRISE]);
  const emails = Array.isArray(user.emails) ? user.emails.map(record) : [];
  const found: Record<string, unknown> = {
    displayName: user.displayName,
    givenName: name.givenName,
    familyName: name.familyName,
    email: emails[0]?.value,
    title: user.title,
    employeeNumber: enterprise.employeeNumber,
    department: enterprise.department,
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
}

export interface ScimBackendOptions {
  /** Extra connector configuration for this peer (e.g. the externalId encoding it needs). */
  config?: Partial<ScimConfigInput>;
  roles: readonly [string, string];
}

export function scimContractBackend(peer: ScimPeer, options: ScimBackendOptions): ContractBackend {
  const groupIds = new Map<string, string>();
  const groupId = async (role: string) => {
    const id = groupIds.get(role) ?? (await ensureGroup(peer, role));
    groupIds.set(role, id);
    return id;
  };
  return {
    roles: options.roles,
    async connect() {
      await Promise.all(options.roles.map(groupId));
      return new ScimConnector(
        parseScimConfig({
          baseURL: peer.baseURL,
          auth: { type: "bearer", token: peer.token },
          ...options.config,
        }),
      );
    },
    attributesFor: (username) => ({
      displayName: `Test ${username}`,
      givenName: "Test",
      familyName: username,
      email: `${username}@example.com`,
      title: "Engineer",
      employeeNumber: "1001",
      department: "R&D",
    }),
    changedAttributesFor: (username) => ({
      displayName: `Moved ${username}`,
      email: `${username}.moved@example.com`,
      title: "Manager",
      department: "Sales",
    }),
    createUnowned: (username) => createUnownedUser(peer, username),
    async inspect(username): Promise<InspectedAccount | undefined> {
      const user = await findRaw(peer, "/Users", "userName", username);
      if (!user) return undefined;
      const roles: string[] = [];
      for (const role of options.roles) {
        const group = record((await peer.request("GET", `/Groups/${await groupId(role)}`)).body);
        const members = Array.isArray(group.members) ? group.members.map(record) : [];
        if (members.some((m) => m.value === user.id)) roles.push(role);
      }
      const externalId = typeof user.externalId === "string" ? user.externalId : undefined;
      // The fixture's own reading of the two externalId encodings (see ScimConfig.externalId).
      const owner = externalId?.endsWith(`#${username}`)
        ? externalId.slice(0, -username.length - 1)
        : externalId;
      return { enabled: user.active !== false, roles, owner, attributes: attributesOf(user) };
    },
  };
}

/** A SCIM user created behind Roster's back: no externalId, so no ownership marker. */
export async function createUnownedUser(peer: ScimPeer, username: string): Promise<void> {
  const body = {
    schemas: [USER],
    userName: username,
    emails: [{ value: `${username}@unowned.example.com` }],
  };
  const answer = await peer.request("POST", "/Users", body);
  if (answer.status !== 201) throw new Error(`${peer.name} POST /Users answered ${answer.status}`);
}
