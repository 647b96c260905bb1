import { parseRosterObject } from "../../../operator/src/api/index.js";
import { schemasByKind } from "./support/crds.js";
import { validateObject } from "./support/openapi-validator.js";

/**
 * Cross-field rules are written once and enforced twice (zod superRefine and CEL). This table
 * walks both sides of each rule's boundary and checks that zod and the CRD schema agree on every
 * row, accepted or rejected.
 */

const schemas = schemasByKind();
const meta = { name: "x" };
const ldap = {
  url: "ldap://ldap.example.com",
  bindDN: "cn=roster,dc=example,dc=com",
  credentialsSecretRef: { name: "bind", key: "password" },
  usersBaseDN: "ou=people,dc=example,dc=com",
  groupsBaseDN: "ou=groups,dc=example,dc=com",
};
const ad = { ...ldap, url: "ldaps://dc.corp.example.com" };
const scimAuth = (auth: object) => ({ scim: { baseURL: "https://app.example.com/scim/v2", auth } });
const bearer = { bearer: { secretRef: { name: "t", key: "token" } } };
const oauth = {
  oauth2ClientCredentials: {
    tokenURL: "https://login.example.com/token",
    clientID: "roster",
    clientSecretRef: { name: "c", key: "secret" },
  },
};

const user = (spec: object) => ({
  apiVersion: "roster.dev/v1alpha1",
  kind: "User",
  metadata: meta,
  spec: { username: "ada", ...spec },
});
const grant = (spec: object) => ({
  apiVersion: "roster.dev/v1alpha1",
  kind: "AccessGrant",
  metadata: meta,
  spec: { target: "t", subjects: { users: ["ada"] }, ...spec },
});
const target = (spec: object) => ({
  apiVersion: "roster.dev/v1alpha1",
  kind: "Target",
  metadata: meta,
  spec,
});
const selector = (expression: object) =>
  grant({ subjects: { selector: { matchExpressions: [expression] } } });

const rows: [string, boolean, Record<string, unknown>][] = [
  [
    "endDate after startDate",
    true,
    user({ startDate: "2027-01-01T00:00:00Z", endDate: "2027-01-01T00:00:01Z" }),
  ],
  [
    "endDate after startDate across offsets",
    true,
    user({ startDate: "2027-01-01T10:00:00+02:00", endDate: "2027-01-01T09:00:00Z" }),
  ],
  [
    "endDate before startDate across offsets",
    false,
    user({ startDate: "2027-01-01T10:00:00Z", endDate: "2027-01-01T11:00:00+02:00" }),
  ],
  ["endDate alone", true, user({ endDate: "2027-01-01T00:00:00Z" })],
  ["expiresAt alone", true, grant({ expiresAt: "2027-01-01T00:00:00Z" })],
  [
    "expiresAt after validFrom",
    true,
    grant({ validFrom: "2026-12-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" }),
  ],
  [
    "expiresAt equal to validFrom",
    false,
    grant({ validFrom: "2027-01-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" }),
  ],
  ["duration with validFrom", true, grant({ validFrom: "2026-12-01T00:00:00Z", duration: "1h30m" })],
  ["duration of seconds", true, grant({ duration: "90s" })],
  ["duration of zero minutes", false, grant({ duration: "0m" })],
  ["duration and expiresAt", false, grant({ duration: "1h", expiresAt: "2027-01-01T00:00:00Z" })],
  ["an empty selector (every User)", true, grant({ subjects: { selector: {} } })],
  [
    "users and a selector",
    true,
    grant({ subjects: { users: ["ada"], selector: { matchLabels: { team: "a" } } } }),
  ],
  ["NotIn with values", true, selector({ key: "team", operator: "NotIn", values: ["a"] })],
  ["NotIn with an empty list", false, selector({ key: "team", operator: "NotIn", values: [] })],
  ["DoesNotExist without values", true, selector({ key: "team", operator: "DoesNotExist" })],
  ["DoesNotExist with an empty list", true, selector({ key: "team", operator: "DoesNotExist", values: [] })],
  ["ldap", true, target({ ldap })],
  ["ldap:// with startTLS", true, target({ ldap: { ...ldap, startTLS: true } })],
  [
    "ldaps:// with startTLS",
    false,
    target({ ldap: { ...ldap, url: "ldaps://ldap.example.com", startTLS: true } }),
  ],
  [
    "ldap with insecureSkipVerify only",
    true,
    target({ ldap: { ...ldap, tls: { insecureSkipVerify: true } } }),
  ],
  [
    "ldap with a CA and insecureSkipVerify false",
    true,
    target({
      ldap: { ...ldap, tls: { insecureSkipVerify: false, caSecretRef: { name: "ca", key: "ca.crt" } } },
    }),
  ],
  [
    "ldap disabled by attribute",
    true,
    target({
      ldap: { ...ldap, disable: { method: "Attribute", attribute: { name: "shadowExpire", value: "1" } } },
    }),
  ],
  [
    "ldap lock with an attribute",
    false,
    target({ ldap: { ...ldap, disable: { attribute: { name: "shadowExpire", value: "1" } } } }),
  ],
  ["Active Directory over ldaps://", true, target({ activeDirectory: ad })],
  [
    "Active Directory over ldap:// with startTLS",
    true,
    target({ activeDirectory: { ...ad, url: "ldap://dc", startTLS: true } }),
  ],
  [
    "Active Directory over ldaps:// with startTLS",
    false,
    target({ activeDirectory: { ...ad, startTLS: true } }),
  ],
  ["scim with a bearer token", true, target(scimAuth(bearer))],
  ["scim with client credentials", true, target(scimAuth(oauth))],
  ["scim with both", false, target(scimAuth({ ...bearer, ...oauth }))],
  ["ldap and activeDirectory", false, target({ ldap, activeDirectory: ad })],
  ["Retain", true, target({ ldap, leavePolicy: { type: "Retain" } })],
  [
    "DisableThenDelete after 7 days",
    true,
    target({ ldap, leavePolicy: { type: "DisableThenDelete", afterDays: 7 } }),
  ],
  ["afterDays with the default type", false, target({ ldap, leavePolicy: { afterDays: 7 } })],
];

describe("zod and the CRD schema agree on cross-field rules", () => {
  it.each(rows)("%s (valid: %s)", (_name, valid, object) => {
    const kind = schemas.get(String(object.kind));
    if (!kind) throw new Error("no CRD");
    const zod = parseRosterObject(object);
    const crd = validateObject(object, kind.schema, kind.namespaced);
    expect({ zod: zod.ok ? [] : zod.errors, crd }).toEqual(
      valid ? { zod: [], crd: [] } : { zod: expect.any(Array), crd: expect.any(Array) },
    );
    expect(zod.ok).toBe(valid);
    expect(crd.length === 0).toBe(valid);
  });
});
