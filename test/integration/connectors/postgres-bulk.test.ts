/**
 * Bulk paths of the PostgreSQL connector against a real PostgreSQL 15: applyBatch (creates
 * batched in transactions, falling back change by change when a chunk fails) and list (all managed
 * roles with their memberships in one query).
 */
import type { AccountChange, DesiredAccount } from "../../../operator/src/engine/connector.js";
import { ConflictError, TerminalError } from "../../../operator/src/errors.js";
import type { PostgresConnector } from "../../../operator/src/connectors/postgres/index.js";
import { PostgresFixture, commentBody } from "./postgres-fixture.js";

const MARKER = "roster.dev/bulk";
let fixture: PostgresFixture;
let connector: PostgresConnector;

beforeAll(async () => {
  fixture = await PostgresFixture.start();
  await fixture.createRole("staff", "NOLOGIN");
  await fixture.createRole("taken", "LOGIN");
  connector = fixture.connector({ poolSize: 3 });
});
afterAll(async () => {
  await connector?.close();
  await fixture?.stop();
});

const account = (username: string): DesiredAccount => ({
  username,
  ownerMarker: MARKER,
  enabled: true,
  attributes: { displayName: `Person ${username}`, connectionLimit: "2" },
  roles: ["staff"],
});

async function managedCount(): Promise<number> {
  const { rows } = await fixture.sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE 'roster:%'",
  );
  return rows[0]?.n ?? 0;
}

describe("PostgreSQL bulk apply and list", () => {
  it("creates hundreds of accounts in batches, settling each failing change on its own", async () => {
    const names = Array.from({ length: 450 }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
    await connector.apply({ op: "create", account: account("bulk-007") });
    const changes: AccountChange[] = names.map((name) => ({ op: "create", account: account(name) }));
    changes.splice(120, 0, { op: "create", account: account("taken") });
    changes.splice(300, 0, { op: "create", account: account("x".repeat(64)) });
    changes.push({ op: "disable", username: "bulk-001" });

    const outcomes = await connector.applyBatch(changes);

    expect(outcomes).toHaveLength(changes.length);
    const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [[i, o.error] as const]));
    expect(failed.map(([i]) => i)).toEqual([120, 300]);
    expect(failed[0]?.[1]).toBeInstanceOf(ConflictError);
    expect(failed[1]?.[1]).toBeInstanceOf(TerminalError);
    expect(outcomes[0]).toEqual({ ok: true, result: { id: "bulk-000" } });
    expect(await managedCount()).toBe(450);
    const sample = await fixture.role("bulk-449");
    expect(sample).toMatchObject({
      canLogin: true,
      connectionLimit: 2,
      memberships: [{ role: "staff", grantor: "postgres" }],
    });
    expect(commentBody(sample?.comment ?? null).owner).toBe(MARKER);
    expect(await fixture.role("bulk-001")).toMatchObject({ canLogin: false });
    expect(await fixture.role("taken")).toMatchObject({ comment: null });
  });

  it("lists every managed role with its memberships, and unmarked login roles as unowned", async () => {
    const listed = await connector.list({ roles: ["staff"] });
    const managed = listed.filter((a) => a.owner === MARKER);
    expect(managed).toHaveLength(450);
    expect(managed.every((a) => a.roles.length === 1 && a.roles[0] === "staff")).toBe(true);
    expect(listed.find((a) => a.username === "taken")).toMatchObject({ owner: undefined, enabled: true });
    expect(listed.find((a) => a.username === "postgres")).toBeUndefined();
    expect(listed.find((a) => a.username === "staff")).toBeUndefined();
  });
});
