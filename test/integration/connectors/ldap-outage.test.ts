/**
 * Outage: slapd stops in the middle of a batch of creates. Every failure while it is down is a
 * TransientError; a caller that retries transient failures (as the engine does) completes the
 * batch after slapd is back, and no account is lost or duplicated.
 */
import { createLdapConnector } from "../../../operator/src/connectors/ldap/connector.js";
import type { Connector } from "../../../operator/src/engine/connector.js";
import { TransientError } from "../../../operator/src/errors.js";
import { startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";

let server: SlapdServer;
let connector: Connector;
const MARKER = "roster.dev/outage";

beforeAll(async () => {
  server = await startSlapd();
  connector = createLdapConnector({
    url: server.url,
    bindDN: server.adminDN,
    bindPassword: server.adminPassword,
    usersBaseDN: server.peopleDN,
    groupsBaseDN: server.groupsDN,
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
  });
});
afterAll(async () => {
  await connector?.close();
  await server?.stop();
});

it("fails transiently while slapd is down and completes the batch after it is back", async () => {
  const usernames = Array.from({ length: 12 }, (_, i) => `outage-${i}`);
  const failures: unknown[] = [];
  let paused = false;
  for (const [index, username] of usernames.entries()) {
    if (index === 4) {
      await server.pause();
      paused = true;
    }
    for (;;) {
      try {
        await connector.apply({
          op: "create",
          account: { username, ownerMarker: MARKER, enabled: true, attributes: { sn: username }, roles: [] },
        });
        break;
      } catch (err) {
        failures.push(err);
        if (!(err instanceof TransientError)) throw err;
        // The retry path: after a few refused attempts, the server comes back.
        if (paused && failures.length >= 3) {
          await server.resume();
          paused = false;
        }
      }
    }
  }
  expect(failures.length).toBeGreaterThanOrEqual(3);
  expect(failures.every((err) => err instanceof TransientError)).toBe(true);

  const stored = await withSlapdAdmin(server, async (admin) => {
    const { searchEntries } = await admin.search(server.peopleDN, {
      filter: "(uid=outage-*)",
      attributes: ["uid"],
    });
    return searchEntries.map((entry) => String(entry.uid)).sort();
  });
  expect(stored).toEqual([...usernames].sort());
  const listed = await connector.list({ roles: [] });
  expect(listed.filter((acc) => acc.owner === MARKER)).toHaveLength(usernames.length);
});
