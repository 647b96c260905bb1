import type { AccessGrant, Target, User } from "../api/index.js";
import { targetType } from "../api/index.js";
import type { GrantView, TargetView, UserView } from "../engine/model.js";
import type { KubeObject } from "../runtime/index.js";

/**
 * Turns API objects from the informer caches into the plain views the engine decides over. The
 * API server has validated and defaulted them against the CRD schemas, so this only reshapes.
 */
export function userView(obj: KubeObject): UserView {
  const user = obj as unknown as User;
  return {
    name: user.metadata.name ?? "",
    labels: user.metadata.labels ?? {},
    deleting: user.metadata.deletionTimestamp !== undefined,
    spec: user.spec,
  };
}

/** What a target sync decides on about a User: changes with its spec, labels and deletion. */
export function userVersion(obj: KubeObject): string {
  const meta = obj.metadata ?? {};
  return `${meta.generation ?? 0}|${JSON.stringify(meta.labels ?? {})}|${meta.deletionTimestamp ? "deleting" : ""}`;
}

export function grantView(obj: KubeObject): GrantView {
  const grant = obj as unknown as AccessGrant;
  const spec = grant.spec;
  return {
    namespace: grant.metadata.namespace ?? "",
    name: grant.metadata.name ?? "",
    createdAt: grant.metadata.creationTimestamp,
    deleting: grant.metadata.deletionTimestamp !== undefined,
    spec: {
      target: spec.target,
      subjects: spec.subjects,
      roles: spec.roles ?? [],
      validFrom: spec.validFrom,
      expiresAt: spec.expiresAt,
      duration: spec.duration,
    },
  };
}

export function targetView(obj: KubeObject): TargetView {
  const target = obj as unknown as Target;
  const spec = target.spec;
  const type = targetType(spec);
  return {
    namespace: target.metadata.namespace ?? "",
    name: target.metadata.name ?? "",
    type,
    mode: spec.mode ?? "Enforce",
    leavePolicy: {
      type: spec.leavePolicy?.type ?? "Disable",
      ...(spec.leavePolicy?.afterDays !== undefined ? { afterDays: spec.leavePolicy.afterDays } : {}),
    },
    orphanPolicy: spec.orphanPolicy ?? "Report",
    adopt: (spec.ownership?.adopt ?? []).map((rule) => ({
      attribute: rule.attribute,
      userField: rule.userField,
    })),
    ...(spec.attributeMapping ? { attributeMapping: spec.attributeMapping } : {}),
    ...(spec.safety?.maxChangesPerSync !== undefined
      ? { maxChangesPerSync: spec.safety.maxChangesPerSync }
      : {}),
    ...(spec.safety?.maxChangesPercent !== undefined
      ? { maxChangesPercent: spec.safety.maxChangesPercent }
      : {}),
    generatePassword: passwordWanted(spec),
  };
}

/** Whether the Target asks Roster to generate an initial password for new accounts. */
function passwordWanted(spec: Target["spec"]): boolean {
  return (
    spec.ldap?.password?.generate === true ||
    spec.activeDirectory?.password?.generate === true ||
    spec.postgres?.login?.password?.generate === true
  );
}
