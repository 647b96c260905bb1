/**
 * `roster hr import` of many people against the local API server: the writes go out several at
 * once, yet every User lands, a User the server refuses is reported by name and field without
 * stopping the others, and the errors come out in plan order.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalKube, type LocalKube } from "../../harness/localkube.js";
import { installCrds } from "../../harness/roster.js";
import { roster } from "./support.js";

const MAPPING = ["--mapping", "test/fixtures/hr/mapping.yaml"];
const HEADER =
  "Employee ID,Login,First Name,Last Name,Display Name,Email,Department,Title,Manager,Type,Start Date,End Date,Status";
const PEOPLE = 150;
/** Users that exist before the import under a different, immutable username: the server refuses these. */
const REFUSED = ["person-0040", "person-0111"];

interface UserObject {
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, string>;
}

let kube: LocalKube;
let dir: string;

const nameOf = (i: number) => `person-${String(i).padStart(4, "0")}`;

/** An export of people 0..count-1; `row` may override each person's title and status. */
async function exportFile(
  file: string,
  count: number,
  row: (i: number) => { title: string; status: string } | undefined,
): Promise<string> {
  const lines = [HEADER];
  for (let i = 0; i < count; i++) {
    const fields = row(i);
    if (!fields) continue;
    const name = nameOf(i);
    lines.push(
      `${5000 + i},${name},Given${i},Family${i},Family${i} Given${i},${name}@acme.example,Engineering,${fields.title},,Employee,2024-01-01,,${fields.status}`,
    );
  }
  const target = path.join(dir, file);
  await writeFile(target, `${lines.join("\n")}\n`);
  return target;
}

async function users(): Promise<Map<string, UserObject>> {
  const result = await kube.kubectl(["get", "users", "-o", "json"]);
  if (result.code !== 0) throw new Error(result.stderr);
  const list = JSON.parse(result.stdout) as { items: UserObject[] };
  return new Map(list.items.map((u) => [u.metadata.name, u]));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hr-many-"));
  kube = await startLocalKube();
  await installCrds(kube);
  const existing = REFUSED.map(
    (name) =>
      `apiVersion: roster.dev/v1alpha1\nkind: User\nmetadata: {name: ${name}}\nspec: {username: legacy-${name}, employmentType: Employee}\n`,
  );
  const applied = await kube.kubectl(["apply", "-f", "-"], { input: existing.join("---\n") });
  if (applied.code !== 0) throw new Error(applied.stderr);
}, 60_000);

afterAll(async () => {
  await kube?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("roster hr import of many people", () => {
  it("writes every User it can, and names each refused User and field, in plan order", async () => {
    const file = await exportFile("first.csv", PEOPLE, () => ({ title: "Engineer", status: "Active" }));
    const result = await roster(["hr", "import", file, ...MAPPING], kube.kubeconfigPath);
    expect(result.code).toBe(1);
    const errors = result.stderr.split("\n").filter(Boolean);
    expect(errors).toHaveLength(REFUSED.length);
    REFUSED.forEach((name, i) => {
      expect(errors[i]).toMatch(new RegExp(`^error: user/${name}: .*spec\\.username.*username is immutable`));
    });
    expect(result.stdout).toContain(`applied, ${REFUSED.length} User(s) failed`);

    const all = await users();
    expect(all.size).toBe(PEOPLE);
    for (let i = 0; i < PEOPLE; i++) {
      const user = all.get(nameOf(i));
      if (REFUSED.includes(nameOf(i))) {
        expect(user?.spec.username).toBe(`legacy-${nameOf(i)}`);
        expect(user?.metadata.labels?.["roster.dev/managed-by"]).toBeUndefined();
      } else {
        expect(user?.spec).toMatchObject({ username: nameOf(i), title: "Engineer", state: "Active" });
        expect(user?.metadata.labels?.["roster.dev/managed-by"]).toBe("hr-import");
      }
    }
  });

  it("applies leavers, then moves, for every imported person, and exits 0 when all land", async () => {
    const leaver = (i: number) => i % 5 === 0;
    const file = await exportFile("second.csv", PEOPLE, (i) =>
      REFUSED.includes(nameOf(i))
        ? undefined
        : { title: "Senior Engineer", status: leaver(i) ? "Left" : "Active" },
    );
    const expectedLeavers = Array.from({ length: PEOPLE }, (_, i) => i).filter(
      (i) => leaver(i) && !REFUSED.includes(nameOf(i)),
    ).length;
    const result = await roster(
      ["hr", "import", file, ...MAPPING, "--allow-mass-termination", "-o", "json"],
      kube.kubeconfigPath,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      summary: {
        hires: 0,
        moves: PEOPLE - REFUSED.length - expectedLeavers,
        leavers: expectedLeavers,
        unchanged: 0,
      },
    });

    const all = await users();
    for (let i = 0; i < PEOPLE; i++) {
      if (REFUSED.includes(nameOf(i))) continue;
      expect(all.get(nameOf(i))?.spec).toMatchObject({
        title: "Senior Engineer",
        state: leaver(i) ? "Terminated" : "Active",
      });
    }
  });
});
