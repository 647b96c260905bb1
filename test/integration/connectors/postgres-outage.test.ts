/**
 * An outage of the PostgreSQL server: while it is down every call fails with a TransientError (so
 * the engine retries, never drops, a revocation); once it is back the same calls complete, on the
 * same connector instance (the pool replaces its dead connections).
 */
import type { AccountChange } from "../../../operator/src/engine/connector.js";
import { TransientError, isRosterError } from "../../../operator/src/errors.js";
import { waitFor } from "../../harness/ports.js";
import type { PostgresConnector } from "../../../operator/src/connectors/postgres/index.js";
import { PostgresFixture } from "./postgres-fixture.js";

const MARKER = "roster.dev/outage";
let fixture: PostgresFixture;
let connector: PostgresConnector;

beforeAll(async () => {
  fixture = await PostgresFixture.start();
  connector = fixture.connector({ connectTimeoutMs: 2_000 });
});
afterAll(async () => {
  await connector?.close();
  await fixture?.stop();
});

const create = (username: string): AccountChange => ({
  op: "create",
  account: { username, ownerMarker: MARKER, enabled: true, attributes: {}, roles: [] },
});

/** Retries `change` on TransientError only, as the engine's queue would. */
async function applyWhenBack(change: AccountChange): Promise<void> {
  await waitFor(
    `${change.op} to succeed after the outage`,
    async () => {
      try {
        await connector.apply(change);
        return true;
      } catch (err) {
        if (err instanceof TransientError) return false;
        throw err;
      }
    },
    60_000,
    200,
  );
}

describe("PostgreSQL outage", () => {
  it("fails with TransientError while the server is down and completes once it is back", async () => {
    await connector.apply(create("before"));
    await fixture.admin.end();
    await fixture.server.pause();

    for (const change of [create("during"), { op: "disable", username: "before" } as AccountChange]) {
      const failure = await connector.apply(change).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(TransientError);
      expect(isRosterError(failure) && failure.reason).toMatch(/ConnectionFailed|ServerShuttingDown/);
      expect((failure as Error).message).not.toContain(fixture.server.password);
    }
    await expect(connector.list()).rejects.toBeInstanceOf(TransientError);
    await expect(connector.check()).rejects.toBeInstanceOf(TransientError);

    await fixture.server.resume();
    await applyWhenBack(create("during"));
    await applyWhenBack({ op: "disable", username: "before" });

    const listed = new Map((await connector.list()).map((a) => [a.username, a]));
    expect(listed.get("during")).toMatchObject({ owner: MARKER, enabled: true });
    expect(listed.get("before")).toMatchObject({ owner: MARKER, enabled: false });
  });
});
