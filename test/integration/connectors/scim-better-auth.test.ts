/**
 * The connector contract against Better Auth's SCIM plugin (better-auth 1.7.5 + @better-auth/scim
 * 1.7.5 on PostgreSQL 15), a real third-party SCIM service provider.
 *
 * Peer facts this fixture adapts to, honestly:
 * - Better Auth requires externalId to be unique per SCIM connection, while the contract suite
 *   uses one marker for every account: the connector runs with `externalId: "markerWithUserName"`.
 * - Better Auth requires an e-mail when userName is not an e-mail address: every fixture account
 *   has one.
 */
import { describeConnectorContract } from "./contract-suite.js";
import { startBetterAuthScim, type ScimPeer } from "../../harness/scim.js";
import { scimContractBackend } from "../../harness/scim-fixture.js";

let peer: ScimPeer;

beforeAll(async () => {
  peer = await startBetterAuthScim();
}, 120_000);
afterAll(async () => peer?.stop());

describeConnectorContract("SCIM (Better Auth, externalId as marker#userName)", () =>
  scimContractBackend(peer, {
    roles: ["ba-engineering", "ba-on-call"],
    config: { externalId: "markerWithUserName" },
  }),
);
