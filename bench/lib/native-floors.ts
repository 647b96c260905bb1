/**
 * The native floor of each target for the work of an initial convergence of N people (the same
 * accounts and birthright memberships written by the target's own tools) and then for a bulk
 * revocation (disabling the first M of them), on a fresh server of the same kind (so Roster's run
 * and the floor do not share a database).
 */
import { performance } from "node:perf_hooks";
import { startPostgres } from "../../test/harness/postgres.js";
import { startBetterAuthScim } from "../../test/harness/scim.js";
import { startSlapd } from "../../test/harness/slapd.js";
import { rawScim, timeLdapadd, timePool, timePsqlScript } from "./floors.js";
import { addLdapGroups, addPostgresRoles, addScimGroups } from "./roles.js";
import { floorDisableSql, floorLdif, floorLockLdif, floorSql, person, scimUser } from "./people.js";
import type { TargetKind } from "./targets.js";

export interface FloorResult {
  seconds: number;
  method: string;
  /** Then, on the same server: disabling the first `users` of those accounts with the target's own tools. */
  revocation: { users: number; seconds: number; method: string };
}

/** `ldapadd` of the entries plus one modify adding them all to the group, over one connection. */
async function ldapFloor(count: number, revoke: number): Promise<FloorResult> {
  const slapd = await startSlapd();
  try {
    await addLdapGroups(slapd, count);
    const ms = await timeLdapadd(slapd, floorLdif(count, slapd.peopleDN, slapd.groupsDN));
    const lockMs = await timeLdapadd(slapd, floorLockLdif(revoke, slapd.peopleDN));
    return {
      seconds: ms / 1000,
      method: "ldapadd of the LDIF (entries + one group modify), one connection",
      revocation: {
        users: revoke,
        seconds: lockMs / 1000,
        method: "ldapmodify adding pwdAccountLockedTime per entry, one connection",
      },
    };
  } finally {
    await slapd.stop();
  }
}

/** psql running CREATE ROLE ... LOGIN, COMMENT ON ROLE and GRANT per person in one transaction. */
async function postgresFloor(count: number, revoke: number): Promise<FloorResult> {
  const server = await startPostgres();
  try {
    await addPostgresRoles(server.connectionString, count);
    const ms = await timePsqlScript(server, floorSql(count));
    const disableMs = await timePsqlScript(server, floorDisableSql(revoke));
    return {
      seconds: ms / 1000,
      method: "psql: CREATE ROLE + COMMENT + GRANT per role, one transaction",
      revocation: {
        users: revoke,
        seconds: disableMs / 1000,
        method: "psql: ALTER ROLE NOLOGIN per role, one transaction",
      },
    };
  } finally {
    await server.stop();
  }
}

/** Better Auth checks members with one query whose result it caps at 100 rows. */
const PATCH_CHUNK = 100;

/**
 * Raw POST /Users per person with `concurrency` in flight, then the memberships as PATCH /Groups
 * add operations of 100 members each, one after another (the group refuses concurrent changes).
 */
async function scimFloor(count: number, concurrency: number, revoke: number): Promise<FloorResult> {
  const peer = await startBetterAuthScim();
  try {
    const groupIds = await addScimGroups(peer, count);
    const ids: string[][] = [];
    const userIds: string[] = [];
    const start = performance.now();
    await timePool(0, count, concurrency, async (i) => {
      const created = (await rawScim(peer, "POST", "/Users", scimUser(person(i)), 201)) as { id: string };
      (ids[person(i).team] ??= []).push(created.id);
      userIds[i] = created.id;
    });
    for (const [team, members] of ids.entries()) {
      for (let from = 0; from < members.length; from += PATCH_CHUNK) {
        const value = members.slice(from, from + PATCH_CHUNK).map((id) => ({ value: id }));
        const body = {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "add", path: "members", value }],
        };
        await rawScim(peer, "PATCH", `/Groups/${groupIds[team]}`, body, [200, 204]);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const deactivate = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "active", value: false }],
    };
    const revokeMs = await timePool(0, revoke, concurrency, async (i) => {
      await rawScim(peer, "PATCH", `/Users/${userIds[i]}`, deactivate, [200, 204]);
    });
    return {
      seconds,
      method: `raw POST /Users (${concurrency} in flight) + PATCH /Groups adding ${PATCH_CHUNK} members at a time`,
      revocation: {
        users: revoke,
        seconds: revokeMs / 1000,
        method: `raw PATCH /Users active=false (${concurrency} in flight)`,
      },
    };
  } finally {
    await peer.stop();
  }
}

/** The floor of creating `count` accounts, then of disabling the first `revoke` of them. */
export async function nativeFloor(
  kind: TargetKind,
  count: number,
  concurrency: number,
  revoke: number,
): Promise<FloorResult> {
  if (kind === "ldap") return ldapFloor(count, revoke);
  if (kind === "postgres") return postgresFloor(count, revoke);
  return scimFloor(count, concurrency, revoke);
}
