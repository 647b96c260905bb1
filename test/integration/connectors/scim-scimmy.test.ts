/**
 * The connector contract against scimmy 1.3.5 + scimmy-routers 1.3.2 (Express), a second SCIM
 * peer with ETags (If-Match enforced by its store) and a stricter schema layer.
 */
import { describeConnectorContract } from "./contract-suite.js";
import { startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { scimContractBackend } from "../../harness/scim-fixture.js";

let peer: ScimPeer;

beforeAll(async () => {
  peer = await startScimmyServer();
}, 120_000);
afterAll(async () => peer?.stop());

describeConnectorContract("SCIM (scimmy-routers)", () =>
  scimContractBackend(peer, { roles: ["sc-engineering", "sc-on-call"] }),
);
