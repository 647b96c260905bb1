/** Creates the teams' birthright roles in a target before anyone is provisioned (Roster does not create roles). */
import pg from "pg";
import { quoteRole } from "../../operator/src/connectors/postgres/sql.js";
import type { ScimPeer } from "../../test/harness/scim.js";
import { ensureGroup } from "../../test/harness/scim-fixture.js";
import { withSlapdAdmin, type SlapdServer } from "../../test/harness/slapd.js";
import { teamCount, teamRole } from "./people.js";

const teams = (count: number) => Array.from({ length: teamCount(count) }, (_, t) => teamRole(t));

/** groupOfNames entries (with the empty placeholder member the schema requires). */
export async function addLdapGroups(slapd: SlapdServer, count: number): Promise<void> {
  await withSlapdAdmin(slapd, async (c) => {
    for (const cn of teams(count)) {
      await c.add(`cn=${cn},${slapd.groupsDN}`, { objectClass: ["groupOfNames"], cn, member: [""] });
    }
  });
}

/** NOLOGIN group roles. */
export async function addPostgresRoles(connectionString: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (const role of teams(count)) await client.query(`CREATE ROLE ${quoteRole(role)} NOLOGIN`);
  } finally {
    await client.end();
  }
}

/** SCIM groups; returns their ids in team order. */
export async function addScimGroups(peer: ScimPeer, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (const name of teams(count)) ids.push(await ensureGroup(peer, name));
  return ids;
}
