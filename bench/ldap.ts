/**
 * Benchmark: provision N users (default 10,000) into slapd through the OpenLDAP connector, and in
 * the same run `ldapadd` the equivalent LDIF (same attributes, marker included) into a second,
 * identically configured slapd. Prints both times and the ratio.
 *
 *   npx tsx bench/ldap.ts [count] [concurrency]
 *
 * The connector keeps one connection; `concurrency` creates are in flight on it at once (ldapts
 * pipelines requests by message id). Each create is a search (conflict check) plus an add.
 */
import { createLdapConnector } from "../operator/src/connectors/ldap/connector.js";
import { escapeDNValue } from "../operator/src/connectors/shared/ldap-escape.js";
import type { DesiredAccount } from "../operator/src/engine/connector.js";
import { startSlapd, withSlapdAdmin, type SlapdServer } from "../test/harness/slapd.js";
import { timeLdapadd } from "./lib/floors.js";

const COUNT = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const MARKER = "roster.dev/bench";

function person(index: number): DesiredAccount {
  const username = `bench-user-${index}`;
  return {
    username,
    ownerMarker: MARKER,
    enabled: true,
    roles: [],
    attributes: {
      cn: `Bench User ${index}`,
      sn: "User",
      givenName: "Bench",
      displayName: `Bench User ${index}`,
      mail: `${username}@example.test`,
      employeeNumber: String(100000 + index),
      title: "Engineer",
    },
  };
}

function ldif(server: SlapdServer, count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const p = person(i);
    lines.push(
      `dn: uid=${escapeDNValue(p.username)},${server.peopleDN}`,
      "objectClass: inetOrgPerson",
      `uid: ${p.username}`,
    );
    for (const [name, value] of Object.entries(p.attributes)) lines.push(`${name}: ${String(value)}`);
    lines.push(`businessCategory: roster-owner:${MARKER}`, "");
  }
  return lines.join("\n");
}

async function timeConnector(server: SlapdServer): Promise<number> {
  const connector = createLdapConnector({
    url: server.url,
    bindDN: server.adminDN,
    bindPassword: server.adminPassword,
    usersBaseDN: server.peopleDN,
    groupsBaseDN: server.groupsDN,
  });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < COUNT) {
      const index = next;
      next += 1;
      await connector.apply({ op: "create", account: person(index) });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = performance.now() - started;
  await connector.close();
  return elapsed;
}

async function countEntries(server: SlapdServer): Promise<number> {
  return withSlapdAdmin(server, async (admin) => {
    const { searchEntries } = await admin.search(server.peopleDN, {
      filter: "(objectClass=inetOrgPerson)",
      attributes: ["1.1"],
      paged: { pageSize: 1000 },
    });
    return searchEntries.length;
  });
}

async function main(): Promise<void> {
  const forConnector = await startSlapd();
  const forLdapadd = await startSlapd();
  try {
    const connectorMs = await timeConnector(forConnector);
    const ldapaddMs = await timeLdapadd(forLdapadd, ldif(forLdapadd, COUNT));
    const [a, b] = [await countEntries(forConnector), await countEntries(forLdapadd)];
    if (a !== COUNT || b !== COUNT) throw new Error(`expected ${COUNT} entries in both, found ${a} and ${b}`);
    const rate = (ms: number) => Math.round((COUNT / ms) * 1000);
    console.log(`users: ${COUNT}, connector concurrency: ${CONCURRENCY}`);
    console.log(`connector: ${(connectorMs / 1000).toFixed(2)} s (${rate(connectorMs)} creates/s)`);
    console.log(`ldapadd:   ${(ldapaddMs / 1000).toFixed(2)} s (${rate(ldapaddMs)} adds/s)`);
    console.log(`ratio connector / ldapadd: ${(connectorMs / ldapaddMs).toFixed(2)}`);
  } finally {
    await forConnector.stop();
    await forLdapadd.stop();
  }
}

await main();
