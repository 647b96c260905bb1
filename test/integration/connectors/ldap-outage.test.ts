/**
 * Outage: slapd stops in the middle of a batch of creates. Every failure while it is down is a
 * TransientError; a caller that retries transient failures (as the engine does) completes the
 * batch after slapd is back, and no account is lost or duplicated.
 */
import { createLdapConnector } from "../../../operator/src/connectors/ldap/connector.js";
import type { Connector } from "../../../operator/src/engine/connector.js";
import { TransientError } from "../../../operator/src/errors.js";
import { startSlapd, withSlapdAdmin, type SlapdServer } from "../../harness/slapd.js";
import { ldapConnectorFor } from "../../harness/ldap-connector.js";

let server: SlapdServer;
let connector: Connector;
const MARKER = "roster.dev/outage";

beforeAll(async () => {
  server = await startSlapd();
  connector = ldapConnectorFor(server, { timeoutMs: 5_000, connectTimeoutMs: 2_000 });
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

it("reconnects and binds again after slapd restarted while the connection was idle", async () => {
  const username = "idle-reconnect";
  await connector.apply({
    op: "create",
    account: { username, ownerMarker: MARKER, enabled: true, attributes: { sn: "before" }, roles: [] },
  });
  await server.pause();
  await server.resume();
  // A write needs the administrator's bind: an anonymous reconnect would be refused.
  await connector.apply({ op: "update", username, set: { sn: "after" } });
  expect((await connector.observe(username))?.attributes.sn).toBe("after");
});

it("times out transiently while slapd hangs, and works once it answers again", async () => {
  const hanging = createLdapConnector({
    url: server.url,
    bindDN: server.adminDN,
    bindPassword: server.adminPassword,
    usersBaseDN: server.peopleDN,
    groupsBaseDN: server.groupsDN,
    timeoutMs: 1_000,
  });
  try {
    await hanging.check();
    await hanging.observe("outage-0");
    server.freeze();
    try {
      await expect(hanging.observe("outage-0")).rejects.toBeInstanceOf(TransientError);
    } finally {
      server.thaw();
    }
    await expect(hanging.observe("outage-0")).resolves.toMatchObject({ username: "outage-0", owner: MARKER });
  } finally {
    await hanging.close();
  }
});
