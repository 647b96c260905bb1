/**
 * The cut lane end to end: a leaver's access is cut while a long pass of the same Target is still
 * running, not after it. The pass is held by a proxy that delays the SCIM app's group reads; the
 * leaver's account must be deactivated while that read is still held, and the held pass must not
 * undo it (it decided on the leaver before the leave).
 */
import { waitFor } from "../../harness/ports.js";
import { startRoster, waitForCondition, type RosterEnv } from "../../harness/roster.js";
import { startBetterAuthScim, type ScimPeer } from "../../harness/scim.js";
import { startFaultProxy, type FaultProxy } from "../../harness/scim-fault-proxy.js";
import { ensureGroup, findRaw } from "../../harness/scim-fixture.js";

/** How long the proxy holds the pass's first group read. */
const HOLD_MS = 8000;

let scim: ScimPeer;
let proxy: FaultProxy;
let env: RosterEnv;
let groupId: string;

const scimUser = (userName: string) => findRaw(scim, "/Users", "userName", userName);

async function groupMembers(): Promise<string[]> {
  const group = (await scim.request("GET", `/Groups/${groupId}`)).body as {
    members?: Array<{ value: string }>;
  };
  return (group.members ?? []).map((m) => m.value);
}

function person(name: string, displayName: string): string {
  return `apiVersion: roster.dev/v1alpha1
kind: User
metadata: { name: ${name}, labels: { roster.dev/department: sales } }
spec:
  username: ${name}
  displayName: ${displayName}
  email: ${name}@example.com
`;
}

beforeAll(async () => {
  scim = await startBetterAuthScim();
  proxy = await startFaultProxy(scim.baseURL);
  groupId = await ensureGroup(scim, "crm-users");
  env = await startRoster();
  await env.apply(`apiVersion: v1
kind: Namespace
metadata: { name: lane }
---
apiVersion: v1
kind: Secret
metadata: { name: scim-token, namespace: lane }
stringData: { token: "${scim.token}" }
---
apiVersion: roster.dev/v1alpha1
kind: Target
metadata: { name: crm, namespace: lane }
spec:
  scim:
    baseURL: ${proxy.baseURL}
    auth: { bearer: { secretRef: { name: scim-token, key: token } } }
---
apiVersion: roster.dev/v1alpha1
kind: AccessGrant
metadata: { name: crm-users, namespace: lane }
spec:
  target: crm
  subjects: { selector: { matchLabels: { roster.dev/department: sales } } }
  roles: [crm-users]
`);
  await env.apply(`${person("ann", "Ann Able")}---\n${person("bob", "Bob Baker")}`);
  await waitForCondition(env, "user", "ann", "Ready", "True");
  await waitForCondition(env, "user", "bob", "Ready", "True");
}, 180_000);

afterAll(async () => {
  await env?.stop();
  await proxy?.stop();
  await scim?.stop();
});

describe("the cut lane", () => {
  it("deactivates a leaver while a pass of the same Target is held, and the pass does not undo it", async () => {
    const ann = await scimUser("ann");
    expect(ann).toMatchObject({ active: true });
    expect(await groupMembers()).toContain(ann?.id);

    // A pass that reads the target (bob changed) is held on its first group read.
    proxy.reset();
    proxy.inject({ method: "GET", pathIncludes: "/Groups", delayMs: HOLD_MS, times: 1 });
    await env.apply(person("bob", "Bob Baker-Smith"));
    await waitFor("the pass's group read held", async () =>
      proxy.requests.some((r) => r.method === "GET" && r.path.includes("/Groups")),
    );
    const heldAt = proxy.requests.find((r) => r.method === "GET" && r.path.includes("/Groups"))!.at;

    await env.kube.kubectl(["patch", "user", "ann", "--type=merge", "-p", '{"spec":{"state":"Terminated"}}']);
    await waitFor("ann deactivated", async () => (await scimUser("ann"))?.active === false, HOLD_MS + 20_000);
    const cutAt = proxy.requests.find(
      (r) => r.method === "PATCH" && r.path.includes(`/Users/${ann?.id}`),
    )?.at;
    expect(cutAt).toBeDefined();
    // Cut while the pass was still held on its read, not after it.
    expect(cutAt! - heldAt).toBeLessThan(HOLD_MS);

    // The held pass ends, bob's change lands, ann's membership is cleaned up, and ann stays cut.
    await waitFor(
      "bob renamed",
      async () => (await scimUser("bob"))?.displayName === "Bob Baker-Smith",
      60_000,
    );
    await waitFor(
      "ann's membership removed",
      async () => !(await groupMembers()).includes(ann!.id as string),
      60_000,
    );
    expect(await scimUser("ann")).toMatchObject({ active: false });
    await waitForCondition(env, "user", "ann", "Ready", "True");
    const status = await env.get<{ status: { accounts: Array<{ target: string; state: string }> } }>(
      "user",
      "ann",
    );
    expect(status.status.accounts).toEqual([
      expect.objectContaining({ target: "lane/crm", state: "Disabled" }),
    ]);
  }, 120_000);
});
