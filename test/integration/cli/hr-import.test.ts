/**
 * `roster hr import` against the local API server with Roster's CRDs: a small company imported,
 * then an export with a hire, a mover and a leaver; validation; the mass-termination guard;
 * manifests written to a directory instead.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { installCrds } from "../../harness/roster.js";
import { expectGolden, roster } from "./support.js";

const FIXTURES = "test/fixtures/hr";
const MAPPING = ["--mapping", `${FIXTURES}/mapping.yaml`];
const fixture = (name: string) => `${FIXTURES}/${name}`;

interface UserObject {
  metadata: {
    name: string;
    labels: Record<string, string>;
    resourceVersion: string;
    managedFields?: Array<{ manager: string; operation: string }>;
  };
  spec: Record<string, string>;
}

let kube: LocalKube;

async function users(): Promise<Map<string, UserObject>> {
  const result = await kube.kubectl(["get", "users", "-o", "json", "--show-managed-fields"]);
  if (result.code !== 0) throw new Error(result.stderr);
  const list = JSON.parse(result.stdout) as { items: UserObject[] };
  return new Map(list.items.map((u) => [u.metadata.name, u]));
}

const versions = (all: Map<string, UserObject>) =>
  Object.fromEntries([...all].map(([name, u]) => [name, u.metadata.resourceVersion]));

const importFile = (name: string, ...flags: string[]) =>
  roster(["hr", "import", fixture(name), ...MAPPING, ...flags], kube.kubeconfigPath);

beforeAll(async () => {
  kube = await startLocalKube();
  await installCrds(kube);
}, 60_000);

afterAll(async () => {
  await kube?.stop();
});

describe("roster hr import", () => {
  it("refuses an export with invalid rows, naming each line and field, and applies nothing", async () => {
    const result = await importFile("export-invalid.csv");
    expect(result.code).toBe(1);
    const file = fixture("export-invalid.csv");
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([
      `error: ${file}: line 3: username (column "Login"): must start with a lower case letter, contain only a-z, 0-9, '-', '_' and '.', and end alphanumeric`,
      `error: ${file}: line 4: email (column "Email"): must be an e-mail address`,
      `error: ${file}: line 5: startDate (column "Start Date"): is not a calendar date`,
      `error: ${file}: line 6: employmentType (column "Type"): Invalid option: expected one of "Employee"|"Contractor"|"Vendor"|"Service"`,
      `error: ${file}: line 7: username (column "Login"): duplicates line 2 ("alice.ng")`,
      `error: ${file}: line 8: endDate (column "End Date"): endDate must be after startDate`,
      `error: ${file}: 6 invalid row(s); nothing was applied (--skip-invalid imports the valid rows)`,
    ]);
    expect(result.stdout).toBe("");
    expect((await users()).size).toBe(0);
  });

  it("imports a small company: every person an Active User with labels, dates and the import's field manager", async () => {
    const result = await importFile("export-1.csv");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("12 hires, 0 moves, 0 leavers, 0 unchanged");
    const all = await users();
    expect([...all.keys()].sort()).toHaveLength(12);
    const julia = all.get("julia.rossi");
    expect(julia?.metadata.labels).toEqual({
      "roster.dev/managed-by": "hr-import",
      "roster.dev/hr-source": "acme-hris",
      "roster.dev/department": "marketing-emea",
      "acme.example/employment-type": "employee",
    });
    expect(julia?.spec).toEqual({
      username: "julia.rossi",
      employeeId: "1010",
      givenName: "Julia",
      familyName: "Rossi",
      displayName: "Rossi, Julia",
      email: "julia.rossi@acme.example",
      department: "Marketing, EMEA",
      title: "Marketing Manager",
      manager: "dan.okafor",
      employmentType: "Employee",
      startDate: "2022-08-22T00:00:00Z",
      state: "Active",
    });
    expect(all.get("ivan.petrov")?.spec).toMatchObject({
      employmentType: "Contractor",
      endDate: "2027-06-30T00:00:00Z",
    });
    expect(all.get("lena.berg")?.spec.state).toBe("Suspended");
    expect(julia?.metadata.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual([
      "roster-hr-import",
      "Apply",
    ]);
  });

  it("the mass-termination guard refuses a truncated export and changes nothing", async () => {
    const before = versions(await users());
    const result = await importFile("export-truncated.csv");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: ${fixture("export-truncated.csv")}: refusing to terminate 7 of 12 imported Users (58%): the limit is 1 (10%). ` +
        "If the export is complete, run again with --allow-mass-termination or a higher --max-terminations.\n",
    );
    expect(versions(await users())).toEqual(before);
    const allowed = await importFile("export-truncated.csv", "--dry-run", "--allow-mass-termination");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("7 leavers");
  });

  it("--dry-run of the next export prints the hire, the move with what changed, and the leaver, and writes nothing", async () => {
    const before = versions(await users());
    const result = await importFile("export-2.csv", "--dry-run");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    await expectGolden("hr-import-dry-run.txt", result.stdout);
    expect(versions(await users())).toEqual(before);
  });

  it("a JSON export of the same people plans exactly the same changes as the CSV one", async () => {
    type Plan = {
      summary: unknown;
      hires: Array<{ name: string; spec: unknown }>;
      moves: Array<{ name: string; changes: unknown }>;
      leavers: unknown;
    };
    const plan = async (file: string) => {
      const result = await importFile(file, "--dry-run", "-o", "json");
      expect(result.stderr).toBe("");
      const parsed = JSON.parse(result.stdout) as Plan;
      return {
        ...parsed,
        hires: parsed.hires.map((h) => ({ name: h.name, spec: h.spec })),
        moves: parsed.moves.map((m) => ({ name: m.name, changes: m.changes })),
      };
    };
    const fromJson = await plan("export-2.json");
    expect(fromJson).toEqual(await plan("export-2.csv"));
    expect(fromJson.summary).toEqual({ hires: 1, moves: 1, leavers: 1, unchanged: 10 });
  });

  it("applies the next export: exactly the hire, the mover and the leaver change; nobody is deleted", async () => {
    const before = await users();
    const result = await importFile("export-2.csv");
    expect(result.code).toBe(0);
    const after = await users();
    expect([...after.keys()].sort()).toEqual([...before.keys(), "mia.kovacs"].sort());
    const changed = [...after].filter(
      ([name, u]) => before.get(name)?.metadata.resourceVersion !== u.metadata.resourceVersion,
    );
    expect(changed.map(([name]) => name).sort()).toEqual(["carla.diaz", "kofi.mensah", "mia.kovacs"]);
    expect(after.get("mia.kovacs")?.spec).toMatchObject({
      state: "Active",
      startDate: "2027-01-04T00:00:00Z",
      department: "Engineering",
    });
    expect(after.get("carla.diaz")?.spec).toEqual({
      ...before.get("carla.diaz")?.spec,
      department: "Marketing, EMEA",
      title: "Partner Marketing Lead",
      manager: "julia.rossi",
    });
    expect(after.get("carla.diaz")?.metadata.labels["roster.dev/department"]).toBe("marketing-emea");
    expect(after.get("kofi.mensah")?.spec).toEqual({
      ...before.get("kofi.mensah")?.spec,
      state: "Terminated",
    });
    expect(after.get("kofi.mensah")?.metadata.labels).toEqual(before.get("kofi.mensah")?.metadata.labels);
  });

  it("a second run of the same export changes nothing and writes nothing", async () => {
    const before = versions(await users());
    const result = await importFile("export-2.csv", "-o", "json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      summary: { hires: 0, moves: 0, leavers: 0, unchanged: 12 },
    });
    expect(versions(await users())).toEqual(before);
  });

  it("--skip-invalid warns about the bad rows and never treats the people on them as leavers", async () => {
    const result = await importFile(
      "export-invalid.csv",
      "--skip-invalid",
      "--dry-run",
      "--allow-mass-termination",
      "-o",
      "json",
    );
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(6);
    expect(result.stderr).toMatch(/^warning: .*line 3: username/);
    const plan = JSON.parse(result.stdout) as { leavers: Array<{ name: string }>; unchanged: string[] };
    expect(plan.unchanged).toEqual(["alice.ng"]);
    const leavers = plan.leavers.map((l) => l.name);
    for (const name of ["carla.diaz", "dan.okafor", "erin.walsh", "gus.ivanov"])
      expect(leavers).not.toContain(name);
    // "Bob Martin" on line 3 is not a username, so bob.martin is missing from the export.
    expect(leavers).toEqual([
      "bob.martin",
      "fiona.chen",
      "hana.sato",
      "ivan.petrov",
      "julia.rossi",
      "lena.berg",
      "mia.kovacs",
    ]);
  });

  it("leaves Users it did not import alone", async () => {
    const applied = await kube.kubectl(["apply", "-f", "-"], {
      input:
        "apiVersion: roster.dev/v1alpha1\nkind: User\nmetadata: {name: svc-backup}\nspec: {username: svc-backup, employmentType: Service}\n",
    });
    expect(applied.code).toBe(0);
    const result = await importFile("export-2.csv", "--dry-run");
    expect(result.stdout).toContain("0 leavers");
  });
});

describe("roster hr import --output-dir", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "hr-manifests-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one stable, sorted User manifest per person, then terminates the leaver's file", async () => {
    const first = await roster(
      ["hr", "import", fixture("export-1.csv"), ...MAPPING, "--output-dir", dir],
      kube.kubeconfigPath,
    );
    expect(first.code).toBe(0);
    expect((await readdir(dir)).sort()).toHaveLength(12);
    await expectGolden(
      "hr-manifest-julia.rossi.yaml",
      await readFile(path.join(dir, "julia.rossi.yaml"), "utf8"),
    );
    const second = await roster(
      ["hr", "import", fixture("export-2.csv"), ...MAPPING, "--output-dir", dir],
      kube.kubeconfigPath,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("1 hire, 1 move, 1 leaver, 10 unchanged");
    expect((await readdir(dir)).sort()).toHaveLength(13);
    expect(await readFile(path.join(dir, "kofi.mensah.yaml"), "utf8")).toContain("state: Terminated");
    const applied = await kube.kubectl([
      "apply",
      "--server-side",
      "--field-manager=argocd-like",
      "--force-conflicts",
      "-f",
      dir,
    ]);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
  });
});
