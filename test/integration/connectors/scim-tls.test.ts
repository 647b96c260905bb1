/**
 * HTTPS providers: the scimmy peer behind an HTTPS front (a certificate signed by a throwaway CA
 * for 127.0.0.1 and localhost). A private CA, an expected server name, or no verification (tests
 * only) are honoured; a certificate that does not verify is a TerminalError, not a retry loop.
 */
import {
  parseScimConfig,
  ScimConnector,
  type ScimConfigInput,
} from "../../../operator/src/connectors/scim/index.js";
import { TerminalError } from "../../../operator/src/errors.js";
import { createTlsMaterial, type TlsMaterial } from "../../../localkube/src/transport/tls.js";
import { startScimmyServer, type ScimPeer } from "../../harness/scim.js";
import { startFaultProxy, type FaultProxy } from "../../harness/scim-fault-proxy.js";

let peer: ScimPeer;
let https: FaultProxy;
let material: TlsMaterial;
const open: ScimConnector[] = [];

function connector(tls?: ScimConfigInput["tls"]): ScimConnector {
  const scim = new ScimConnector(
    parseScimConfig({
      baseURL: https.baseURL,
      auth: { type: "bearer", token: peer.token },
      retry: { maxAttempts: 2, baseDelayMs: 10 },
      ...(tls ? { tls } : {}),
    }),
  );
  open.push(scim);
  return scim;
}

beforeAll(async () => {
  material = await createTlsMaterial();
  peer = await startScimmyServer();
  https = await startFaultProxy(peer.baseURL, {
    tls: { cert: material.serverCert, key: material.serverKey },
  });
}, 120_000);
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await https?.stop();
  await peer?.stop();
});

describe("SCIM over HTTPS", () => {
  it("trusts a private CA given in the Target's TLS settings", async () => {
    const scim = connector({ ca: material.caCert });
    await scim.check();
    await scim.apply({
      op: "create",
      account: { username: "tls-user", ownerMarker: "m", enabled: true, roles: [], attributes: {} },
    });
    await expect(scim.observe("tls-user")).resolves.toMatchObject({ username: "tls-user", owner: "m" });
  });

  it("verifies against an explicit server name", async () => {
    await expect(
      connector({ ca: material.caCert, serverName: "localhost" }).check(),
    ).resolves.toBeUndefined();
    const err = await connector({ ca: material.caCert, serverName: "scim.example.com" })
      .check()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ reason: "TlsVerificationFailed" });
  });

  it("refuses an unknown CA with a TerminalError, without retrying", async () => {
    const err = await connector()
      .check()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err).toMatchObject({ reason: "TlsVerificationFailed" });
    expect((err as Error).message).toMatch(/certificate/);
  });

  it("skips verification only when told to", async () => {
    await expect(connector({ insecureSkipVerify: true }).check()).resolves.toBeUndefined();
  });
});
