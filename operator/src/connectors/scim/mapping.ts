/**
 * Pure mapping between Roster's account model and SCIM User resources (RFC 7643 §4.1, §4.3).
 *
 * Target attribute names a Target's mapping may use (values are single strings):
 *   displayName, givenName, familyName, email, title, userType, preferredLanguage  (core User)
 *   employeeNumber, costCenter, organization, division, department, manager        (enterprise)
 * `manager` is the manager's Roster username; on the wire it is the manager's SCIM id, which the
 * connector resolves before calling into this module (`ScimAttributes` carry the resolved id).
 */
import type { AttributeValue, ObservedAccount } from "../../engine/connector.js";
import { TerminalError } from "../../errors.js";
import { managerId, scimBoolean, type PatchOperation } from "./quirks.js";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

type Resource = Record<string, unknown>;

interface AttributeSpec {
  /** The PATCH path (RFC 7644 §3.5.2). */
  path: string;
  read(resource: Resource): string | undefined;
  /** Writes the value into a full resource (create / PUT); undefined removes it. */
  write(resource: Resource, value: string | undefined): void;
  /** The PATCH value for `replace` on `path`. */
  patchValue(value: string): unknown;
}

const asRecord = (value: unknown): Resource =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Resource) : {};
const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function setOrDelete(target: Resource, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** A writable sub-object of the resource (created on demand). */
function child(resource: Resource, key: string): Resource {
  const existing = asRecord(resource[key]);
  resource[key] = existing;
  return existing;
}

function coreAttribute(name: string): AttributeSpec {
  return {
    path: name,
    read: (r) => asString(r[name]),
    write: (r, v) => setOrDelete(r, name, v),
    patchValue: (v) => v,
  };
}

function nameAttribute(sub: "givenName" | "familyName"): AttributeSpec {
  return {
    path: `name.${sub}`,
    read: (r) => asString(asRecord(r.name)[sub]),
    write: (r, v) => setOrDelete(child(r, "name"), sub, v),
    patchValue: (v) => v,
  };
}

function primaryEmail(resource: Resource): string | undefined {
  const emails = Array.isArray(resource.emails) ? resource.emails.map(asRecord) : [];
  const chosen =
    emails.find((e) => scimBoolean(e.primary)) ?? emails.find((e) => e.type === "work") ?? emails[0];
  return asString(chosen?.value);
}

const emailAttribute: AttributeSpec = {
  // Roster owns the account's e-mail list: one primary work address.
  path: "emails",
  read: primaryEmail,
  write: (r, v) =>
    setOrDelete(r, "emails", v === undefined ? undefined : [{ value: v, type: "work", primary: true }]),
  patchValue: (v) => [{ value: v, type: "work", primary: true }],
};

function enterpriseAttribute(name: string): AttributeSpec {
  return {
    path: `${ENTERPRISE_SCHEMA}:${name}`,
    read: (r) => asString(asRecord(r[ENTERPRISE_SCHEMA])[name]),
    write: (r, v) => setOrDelete(child(r, ENTERPRISE_SCHEMA), name, v),
    patchValue: (v) => v,
  };
}

const managerAttribute: AttributeSpec = {
  path: `${ENTERPRISE_SCHEMA}:manager`,
  read: (r) => managerId(asRecord(r[ENTERPRISE_SCHEMA]).manager),
  write: (r, v) =>
    setOrDelete(child(r, ENTERPRISE_SCHEMA), "manager", v === undefined ? undefined : { value: v }),
  patchValue: (v) => ({ value: v }),
};

const ATTRIBUTES: Record<string, AttributeSpec> = {
  displayName: coreAttribute("displayName"),
  givenName: nameAttribute("givenName"),
  familyName: nameAttribute("familyName"),
  email: emailAttribute,
  title: coreAttribute("title"),
  userType: coreAttribute("userType"),
  preferredLanguage: coreAttribute("preferredLanguage"),
  employeeNumber: enterpriseAttribute("employeeNumber"),
  costCenter: enterpriseAttribute("costCenter"),
  organization: enterpriseAttribute("organization"),
  division: enterpriseAttribute("division"),
  department: enterpriseAttribute("department"),
  manager: managerAttribute,
};

export const SCIM_ATTRIBUTE_NAMES: readonly string[] = Object.keys(ATTRIBUTES);

/** Attribute values ready for the wire: single strings, `manager` already a SCIM id. */
export type ScimAttributes = Record<string, string>;

function spec(name: string): AttributeSpec {
  const found = ATTRIBUTES[name];
  if (!found) throw new TerminalError("UnsupportedAttribute", `SCIM has no mapped attribute "${name}"`);
  return found;
}

/** Checks a Roster attribute value is one string (every mapped SCIM attribute is single-valued). */
export function singleValue(name: string, value: AttributeValue): string {
  spec(name);
  if (typeof value === "string") return value;
  if (value.length === 1 && typeof value[0] === "string") return value[0];
  throw new TerminalError(
    "UnsupportedAttribute",
    `SCIM attribute "${name}" takes one value, got ${value.length}`,
  );
}

export type OwnerEncoding = "marker" | "markerWithUserName";

export function encodeExternalId(marker: string, userName: string, encoding: OwnerEncoding): string {
  return encoding === "marker" ? marker : `${marker}#${userName}`;
}

/** The ownership marker stored in `externalId`, whichever encoding wrote it; undefined when none. */
export function decodeOwner(externalId: unknown, userName: string): string | undefined {
  if (typeof externalId !== "string" || externalId === "") return undefined;
  const suffix = `#${userName}`;
  return externalId.endsWith(suffix) && externalId.length > suffix.length
    ? externalId.slice(0, -suffix.length)
    : externalId;
}

export interface NewUser {
  userName: string;
  externalId: string;
  active: boolean;
  attributes: ScimAttributes;
  password?: string;
}

/** The body of a POST /Users. */
export function userResource(user: NewUser): Resource {
  const resource: Resource = { schemas: [USER_SCHEMA], userName: user.userName, externalId: user.externalId };
  resource.active = user.active;
  for (const [name, value] of Object.entries(user.attributes)) spec(name).write(resource, value);
  if (user.password !== undefined) resource.password = user.password;
  if (ENTERPRISE_SCHEMA in resource) resource.schemas = [USER_SCHEMA, ENTERPRISE_SCHEMA];
  return resource;
}

/** Applies attribute changes to a full resource read from the peer, for a PUT (PATCH unsupported). */
export function replacedResource(
  current: Resource,
  set: Record<string, string | null>,
  extra: Resource = {},
): Resource {
  const next: Resource = structuredClone(current);
  delete next.meta;
  delete next.groups;
  for (const [name, value] of Object.entries(set)) spec(name).write(next, value ?? undefined);
  Object.assign(next, extra);
  const schemas = new Set(Array.isArray(next.schemas) ? (next.schemas as string[]) : [USER_SCHEMA]);
  if (ENTERPRISE_SCHEMA in next) schemas.add(ENTERPRISE_SCHEMA);
  next.schemas = [...schemas];
  return next;
}

/** PATCH operations setting (`replace`) or clearing (`remove`) mapped attributes. */
export function attributeOperations(set: Record<string, string | null>): PatchOperation[] {
  return Object.entries(set).map(([name, value]) => {
    const attribute = spec(name);
    return value === null
      ? { op: "remove", path: attribute.path }
      : { op: "replace", path: attribute.path, value: attribute.patchValue(value) };
  });
}

/**
 * An observed account from a SCIM User. `attributes` holds only the mapped attributes present;
 * `manager` holds the manager's SCIM id (the connector turns it back into a username).
 */
export function observedUser(resource: Resource): Omit<ObservedAccount, "roles"> {
  const id = asString(resource.id);
  const userName = asString(resource.userName);
  if (!id || !userName) throw new TerminalError("MalformedResponse", "SCIM User without id or userName");
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, attribute] of Object.entries(ATTRIBUTES)) {
    const value = attribute.read(resource);
    if (value !== undefined) attributes[name] = value;
  }
  return {
    id,
    username: userName,
    owner: decodeOwner(resource.externalId, userName),
    // RFC 7643: `active` absent means the provider does not say; treat as enabled.
    enabled: scimBoolean(resource.active) ?? true,
    attributes,
  };
}
