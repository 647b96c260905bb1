import { join } from "node:path";
import {
  AccessGrant,
  parseRosterObject,
  Target,
  targetType,
  User,
  type RosterObject,
} from "../../../operator/src/api/index.js";
import { schemasByKind } from "./support/crds.js";
import { readManifests, REPO_ROOT, yamlFiles, type Manifest } from "./support/manifests.js";
import { validateObject } from "./support/openapi-validator.js";

const ROSTER_KINDS = new Set(["User", "AccessGrant", "Target"]);
const manifests: Manifest[] = yamlFiles(join(REPO_ROOT, "examples")).flatMap(readManifests);
const rosterManifests = manifests.filter((manifest) => ROSTER_KINDS.has(String(manifest.document.kind)));
const schemas = schemasByKind();

function parsed(): RosterObject[] {
  return rosterManifests.map((manifest) => {
    const result = parseRosterObject(manifest.document);
    if (!result.ok) throw new Error(`${manifest.source}: ${result.errors.join("; ")}`);
    return result.value;
  });
}

const users = (): User[] => parsed().filter((object): object is User => object.kind === "User");
const grants = (): AccessGrant[] =>
  parsed().filter((object): object is AccessGrant => object.kind === "AccessGrant");
const targets = (): Target[] => parsed().filter((object): object is Target => object.kind === "Target");

describe("examples/", () => {
  it("holds Roster objects of every kind", () => {
    const kinds = new Set(rosterManifests.map((manifest) => manifest.document.kind));
    expect([...kinds].sort()).toEqual(["AccessGrant", "Target", "User"]);
  });

  it.each(rosterManifests.map((manifest) => [manifest.source, manifest] as const))(
    "%s parses with the zod schemas",
    (_source, manifest) => {
      expect(parseRosterObject(manifest.document)).toMatchObject({ ok: true });
    },
  );

  it.each(rosterManifests.map((manifest) => [manifest.source, manifest] as const))(
    "%s validates against the generated CRD schema",
    (_source, manifest) => {
      const kind = schemas.get(String(manifest.document.kind));
      if (!kind) throw new Error(`no CRD for ${String(manifest.document.kind)}`);
      expect(validateObject(manifest.document, kind.schema, kind.namespaced)).toEqual([]);
    },
  );

  it("has one Target of each type", () => {
    expect(
      targets()
        .map((target) => targetType(target.spec))
        .sort(),
    ).toEqual(["activeDirectory", "ldap", "postgres", "scim"]);
  });

  it("gives every Target its Secrets, in the Target's namespace", () => {
    const secrets = new Set(
      manifests
        .filter((manifest) => manifest.document.kind === "Secret")
        .map((manifest) => {
          const metadata = manifest.document.metadata as { name: string; namespace: string };
          return `${metadata.namespace}/${metadata.name}`;
        }),
    );
    for (const target of targets()) {
      for (const name of secretNames(target))
        expect(secrets).toContain(`${target.metadata.namespace}/${name}`);
    }
  });

  it("grants name Targets of their own namespace and Users that exist", () => {
    const targetKeys = new Set(
      targets().map((target) => `${target.metadata.namespace}/${target.metadata.name}`),
    );
    const userNames = new Set(users().map((user) => user.metadata.name));
    for (const grant of grants()) {
      expect(targetKeys).toContain(`${grant.metadata.namespace}/${grant.spec.target}`);
      for (const name of grant.spec.subjects.users ?? []) expect(userNames).toContain(name);
    }
    for (const user of users()) if (user.spec.manager) expect(userNames).toContain(user.spec.manager);
  });

  it("shows the lifecycle cases a new user copies from", () => {
    const all = users();
    expect(all.some((user) => user.spec.employmentType === "Contractor" && user.spec.endDate)).toBe(true);
    expect(all.some((user) => user.spec.state === "Suspended")).toBe(true);
    expect(all.some((user) => user.spec.state === "Terminated")).toBe(true);
    expect(
      all.some((user) => user.spec.startDate && Date.parse(user.spec.startDate) > Date.parse("2026-11-25")),
    ).toBe(true);
    const departments = new Set(all.map((user) => user.metadata.labels?.["roster.dev/department"]));
    expect(departments.size).toBeGreaterThanOrEqual(3);
  });

  it("shows birthright, explicit and temporary grants", () => {
    const all = grants();
    expect(all.some((grant) => grant.spec.subjects.selector?.matchLabels)).toBe(true);
    expect(all.some((grant) => grant.spec.subjects.selector?.matchExpressions)).toBe(true);
    expect(all.some((grant) => grant.spec.subjects.users && !grant.spec.subjects.selector)).toBe(true);
    expect(all.some((grant) => grant.spec.duration)).toBe(true);
    expect(all.some((grant) => grant.spec.expiresAt)).toBe(true);
  });
});

/** Names of the Secrets a Target refers to. */
function secretNames(target: Target): string[] {
  const { ldap, activeDirectory, scim, postgres } = target.spec;
  const names: (string | undefined)[] = [
    ldap?.credentialsSecretRef.name,
    ldap?.tls?.caSecretRef?.name,
    activeDirectory?.credentialsSecretRef.name,
    activeDirectory?.tls?.caSecretRef?.name,
    scim?.auth.bearer?.secretRef.name,
    scim?.auth.oauth2ClientCredentials?.clientSecretRef.name,
    postgres?.credentialsSecretRef.name,
    postgres?.caSecretRef?.name,
  ];
  return names.filter((name): name is string => name !== undefined);
}
