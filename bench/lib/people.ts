/**
 * The benchmark's population: N people with the same HR fields, each a User manifest for Roster
 * and, for the native floors, the equivalent LDAP entry, PostgreSQL statements and SCIM resource.
 */
import { escapeDNValue } from "../../operator/src/connectors/shared/ldap-escape.js";
import { formatRoleComment } from "../../operator/src/connectors/postgres/marker.js";
import {
  commentOnRoleSql,
  alterRoleSql,
  createRoleSql,
  grantRolesSql,
} from "../../operator/src/connectors/postgres/sql.js";

/**
 * People are in teams of at most 1,000 (Better Auth's SCIM groups refuse more direct members);
 * each team's birthright grant, by label selector, gives the team's role in every target (LDAP
 * group, PostgreSQL role, SCIM group).
 */
export const TEAM_SIZE = 1000;
export const TEAM_LABEL = "roster.dev/team";
export const DEPARTMENT = "benchmarks";

export function teamCount(count: number): number {
  return Math.max(1, Math.ceil(count / TEAM_SIZE));
}

/** The birthright role of team `team`. */
export function teamRole(team: number): string {
  return `staff-${team}`;
}
/** A marker of the same shape and length as Roster's, for the floors' entries. */
const FLOOR_MARKER = "roster.dev/owner=00000000-0000-4000-8000-000000000000";

export interface Person {
  username: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
  employeeId: string;
  title: string;
  team: number;
}

export function person(index: number): Person {
  const username = `bu-${String(index).padStart(5, "0")}`;
  return {
    username,
    displayName: `Bench User ${index}`,
    givenName: "Bench",
    familyName: `User ${index}`,
    email: `${username}@bench.example.com`,
    employeeId: String(100000 + index),
    title: "Engineer",
    team: Math.floor(index / TEAM_SIZE),
  };
}

/** The User object Roster provisions from. */
export function userObject(p: Person): Record<string, unknown> {
  return {
    apiVersion: "roster.dev/v1alpha1",
    kind: "User",
    metadata: { name: p.username, labels: { [TEAM_LABEL]: `t${p.team}` } },
    spec: {
      username: p.username,
      displayName: p.displayName,
      givenName: p.givenName,
      familyName: p.familyName,
      email: p.email,
      employeeId: p.employeeId,
      department: DEPARTMENT,
      title: p.title,
    },
  };
}

/** LDIF adding every person as Roster's default mapping would, then one modify per team adding its members to its group. */
export function floorLdif(count: number, peopleDN: string, groupsDN: string): string {
  const lines: string[] = [];
  const dns: string[][] = [];
  for (let i = 0; i < count; i += 1) {
    const p = person(i);
    const dn = `uid=${escapeDNValue(p.username)},${peopleDN}`;
    (dns[p.team] ??= []).push(dn);
    lines.push(
      `dn: ${dn}`,
      "objectClass: inetOrgPerson",
      `uid: ${p.username}`,
      `cn: ${p.displayName}`,
      `displayName: ${p.displayName}`,
      `givenName: ${p.givenName}`,
      `sn: ${p.familyName}`,
      `mail: ${p.email}`,
      `employeeNumber: ${p.employeeId}`,
      `departmentNumber: ${DEPARTMENT}`,
      `title: ${p.title}`,
      `businessCategory: ${FLOOR_MARKER}`,
      "",
    );
  }
  dns.forEach((members, team) => {
    lines.push(`dn: cn=${teamRole(team)},${groupsDN}`, "changetype: modify", "add: member");
    for (const dn of members) lines.push(`member: ${dn}`);
    lines.push("-", "");
  });
  return lines.join("\n");
}

/** Per person: CREATE ROLE ... LOGIN, COMMENT ON ROLE with a marker, GRANT the team's role. */
export function floorSql(count: number): string[] {
  const statements: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const p = person(i);
    const comment = formatRoleComment({ owner: FLOOR_MARKER, attributes: { displayName: p.displayName } });
    statements.push(createRoleSql(p.username, { login: true }), commentOnRoleSql(p.username, comment));
    const grant = grantRolesSql([teamRole(p.team)], p.username);
    if (grant) statements.push(grant);
  }
  return statements;
}

/** LDIF locking the first `count` people's entries (ppolicy's permanent lock, as Roster's disable). */
export function floorLockLdif(count: number, peopleDN: string): string {
  const records: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const dn = `uid=${escapeDNValue(person(i).username)},${peopleDN}`;
    records.push(
      `dn: ${dn}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n`,
    );
  }
  return records.join("\n");
}

/** SQL taking LOGIN away from the first `count` people's roles. */
export function floorDisableSql(count: number): string[] {
  return Array.from({ length: count }, (_, i) => alterRoleSql(person(i).username, { login: false }) ?? "");
}

/** The SCIM User resource Roster's default mapping sends for a person. */
export function scimUser(p: Person): Record<string, unknown> {
  return {
    schemas: [
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ],
    userName: p.username,
    externalId: `${FLOOR_MARKER}#${p.username}`,
    active: true,
    displayName: p.displayName,
    title: p.title,
    name: { givenName: p.givenName, familyName: p.familyName },
    emails: [{ value: p.email, type: "work", primary: true }],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      employeeNumber: p.employeeId,
      department: DEPARTMENT,
    },
  };
}
