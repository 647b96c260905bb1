/**
 * A client that goes away in the middle of sending its request (an aborted write, a stopped
 * watch's reconnect) is not an internal error of the API server: nothing is reported.
 */
import { request } from "node:http";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";

describe("a request the client aborts", () => {
  let kube: LocalKube;
  const reported: unknown[] = [];

  beforeAll(async () => {
    kube = await startLocalKube({ server: { onError: (err) => reported.push(err) } });
  });
  afterAll(() => kube.stop());

  it("is not reported as an internal error", async () => {
    const url = new URL("/api/v1/namespaces/default/configmaps", kube.url);
    const req = request(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${kube.adminToken}`,
        "content-type": "application/json",
        "content-length": "1000",
      },
    });
    req.on("error", () => undefined);
    req.write('{"apiVersion":"v1",');
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await new Promise((r) => setTimeout(r, 300));
    expect(reported).toEqual([]);
  });
});
