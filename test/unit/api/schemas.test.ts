import {
  AccessGrantStatus,
  describeIssues,
  durationSeconds,
  formatPath,
  parseRosterObject,
  Target,
  TargetSpec,
  targetType,
  User,
  UserStatus,
  type Target as TargetObject,
} from "../../../operator/src/api/index.js";
import { schemasByKind } from "./support/crds.js";
import { validateNode } from "./support/openapi-validator.js";

const schemas = schemasByKind();
const statusSchema = (kind: string) => {
  const status = schemas.get(kind)?.schema.properties?.status;
  if (!status) throw new Error(`no status schema for ${kind}`);
  return status;
};

const condition = (type: string, status: "True" | "False", reason: string) => ({
  type,
  status,
  reason,
  message: `${type} is ${status}.`,
  observedGeneration: 3,
  lastTransitionTime: "2026-11-25T10:00:00Z",
});

describe("durationSeconds", () => {
  it.each([
    ["8h", 28800],
    ["90m", 5400],
    ["1h30m", 5400],
    ["45s", 45],
    ["1h0m1s", 3601],
  ])("%s is %d seconds", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each(["", "7d", "1.5h", "h", "30m1h"])("%j is not a duration", (text) => {
    expect(durationSeconds(text)).toBeNaN();
  });
});

describe("issue formatting", () => {
  it("writes paths the Kubernetes way", () => {
    expect(formatPath(["spec", "subjects", "users", 0])).toBe("spec.subjects.users[0]");
    expect(formatPath([])).toBe("");
  });

  it("lists every problem of a manifest with its path, unknown fields included", () => {
    const result = User.safeParse({
      apiVersion: "roster.dev/v1alpha1",
      kind: "User",
      metadata: { name: "ada" },
      spec: { username: "ada", state: "Gone", nickname: "A" },
    });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toEqual([
      'spec.state: Invalid option: expected one of "Active"|"Suspended"|"Terminated"',
      "spec.nickname: unknown field",
    ]);
  });

  it("names an unknown kind", () => {
    expect(
      parseRosterObject({
        apiVersion: "roster.dev/v1alpha1",
        kind: "Group",
        metadata: { name: "g" },
        spec: {},
      }),
    ).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^kind: /)],
    });
  });
});

describe("Target defaults", () => {
  const parsed: TargetObject = Target.parse({
    apiVersion: "roster.dev/v1alpha1",
    kind: "Target",
    metadata: { name: "db", namespace: "data" },
    spec: { postgres: { host: "db.example.com", credentialsSecretRef: { name: "admin" } } },
  });

  it("fills the policies a Target does not state", () => {
    expect(parsed.spec).toMatchObject({
      mode: "Enforce",
      leavePolicy: { type: "Disable" },
      orphanPolicy: "Report",
      ownership: { adopt: [] },
      safety: { maxChangesPerSync: 100 },
      concurrency: 4,
      syncIntervalSeconds: 300,
    });
  });

  it("fills the connection's defaults", () => {
    expect(parsed.spec.postgres).toMatchObject({
      port: 5432,
      database: "postgres",
      sslMode: "verify-full",
      credentialsSecretRef: { name: "admin", usernameKey: "username", passwordKey: "password" },
      login: { connectionLimit: -1, password: { generate: false, length: 24 } },
      createRoles: false,
      terminateSessions: true,
    });
    expect(targetType(parsed.spec)).toBe("postgres");
  });

  it("generates Active Directory passwords by default (AD will not enable an account without one)", () => {
    const spec = TargetSpec.parse({
      activeDirectory: {
        url: "ldaps://dc.corp.example.com",
        bindDN: "CN=roster,DC=corp,DC=example,DC=com",
        credentialsSecretRef: { name: "ad", key: "password" },
        usersBaseDN: "OU=Staff,DC=corp,DC=example,DC=com",
        groupsBaseDN: "OU=Groups,DC=corp,DC=example,DC=com",
      },
    });
    expect(spec.activeDirectory?.password).toEqual({ generate: true, length: 24 });
    expect(spec.activeDirectory?.ownerAttribute).toBe("adminDescription");
  });
});

describe("status", () => {
  const userStatus = {
    observedGeneration: 3,
    conditions: [
      condition("Ready", "False", "AccountsFailed"),
      condition("Reconciling", "True", "Progressing"),
    ],
    accounts: [
      {
        target: "identity/corp-ldap",
        accountId: "uid=ada,ou=people,dc=example,dc=com",
        state: "Provisioned",
        roles: ["engineering", "staff"],
        grants: ["identity/engineering-directory", "identity/all-staff-directory"],
        lastSyncTime: "2026-11-25T10:00:00Z",
      },
      { target: "data-platform/analytics-db", state: "Failed", lastError: "connection refused" },
    ],
  };

  it("a realistic User status passes zod and the CRD schema", () => {
    expect(UserStatus.safeParse(userStatus).success).toBe(true);
    expect(validateNode(userStatus, statusSchema("User"), "status")).toEqual([]);
  });

  it("two accounts for one target are refused by both", () => {
    const duplicate = {
      accounts: [userStatus.accounts[0], { ...userStatus.accounts[1], target: "identity/corp-ldap" }],
    };
    expect(UserStatus.safeParse(duplicate).error?.issues.map((issue) => issue.path)).toEqual([
      ["accounts", 1],
    ]);
    expect(validateNode(duplicate, statusSchema("User"), "status")).toEqual([
      'status.accounts[1]: Duplicate value: ["identity/corp-ldap"]',
    ]);
  });

  it("a Target status with a plan passes zod and the CRD schema", () => {
    const status = {
      observedGeneration: 1,
      conditions: [
        condition("Connected", "True", "ConnectionSucceeded"),
        condition("Ready", "False", "SafetyLimitExceeded"),
      ],
      counts: { managed: 120, disabled: 3, orphaned: 1, conflicts: 0, failed: 0, held: 42 },
      lastFullSyncTime: "2026-11-25T10:00:00Z",
      plan: {
        total: 2,
        generatedTime: "2026-11-25T10:00:00Z",
        operations: [
          { operation: "disable", username: "alan", reason: "User is Terminated" },
          { operation: "addRoles", username: "ada", roles: ["vpn-users"] },
        ],
      },
    };
    expect(Target.shape.status.safeParse(status).success).toBe(true);
    expect(validateNode(status, statusSchema("Target"), "status")).toEqual([]);
  });

  it("an AccessGrant status passes zod and the CRD schema", () => {
    const status = {
      conditions: [condition("Active", "True", "GrantActive")],
      matchedUsers: 4,
      expiresAt: "2026-11-25T18:00:00Z",
      nextTransitionTime: "2026-11-25T18:00:00Z",
    };
    expect(AccessGrantStatus.safeParse(status).success).toBe(true);
    expect(validateNode(status, statusSchema("AccessGrant"), "status")).toEqual([]);
  });
});
