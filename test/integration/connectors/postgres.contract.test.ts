/** The shared connector contract, run against a real PostgreSQL 15 started for this file. */
import type { Connector } from "../../../operator/src/engine/connector.js";
import { describeConnectorContract, type ContractBackend } from "./contract-suite.js";
import { PostgresFixture, commentBody } from "./postgres-fixture.js";

const ROLES = ["contract_read", "contract_write"] as const;
let fixture: PostgresFixture;

beforeAll(async () => {
  fixture = await PostgresFixture.start();
  for (const role of ROLES) await fixture.createRole(role, "NOLOGIN");
});
afterAll(async () => fixture?.stop());

function backend(): ContractBackend {
  return {
    connect: async (): Promise<Connector> => fixture.connector(),
    roles: ROLES,
    attributesFor: (username) => ({ displayName: `Person ${username}`, connectionLimit: "5" }),
    changedAttributesFor: (username) => ({
      displayName: `Moved ${username}`,
      email: `${username}@example.org`,
      connectionLimit: "10",
    }),
    createUnowned: (username) => fixture.createRole(username, "LOGIN"),
    async inspect(username) {
      const role = await fixture.role(username);
      if (!role) return undefined;
      const body = commentBody(role.comment);
      return {
        enabled: role.canLogin,
        owner: body.owner,
        roles: role.memberships.map((m) => m.role).filter((r) => (ROLES as readonly string[]).includes(r)),
        attributes: {
          ...(body.attributes as Record<string, string> | undefined),
          ...(role.connectionLimit !== -1 ? { connectionLimit: String(role.connectionLimit) } : {}),
        },
      };
    },
  };
}

describeConnectorContract("PostgreSQL", backend);
