/** Fixture builders for the engine's plain data: aUser().terminated().withLabel(...).build(). */
import type { ObservedAccount } from "../../operator/src/engine/connector.js";
import type { AccountIntent, TargetDesiredState } from "../../operator/src/engine/desired.js";
import type { GrantView, TargetView, UserView } from "../../operator/src/engine/model.js";

export class UserBuilder {
  private view: UserView;
  constructor(name: string) {
    this.view = {
      name,
      labels: {},
      deleting: false,
      spec: { username: name, displayName: `${name} Person`, email: `${name}@example.com`, state: "Active" },
    };
  }
  withLabel(key: string, value: string): this {
    this.view.labels[key] = value;
    return this;
  }
  with(spec: Partial<UserView["spec"]>): this {
    Object.assign(this.view.spec, spec);
    return this;
  }
  terminated(): this {
    return this.with({ state: "Terminated" });
  }
  suspended(): this {
    return this.with({ state: "Suspended" });
  }
  deleting(): this {
    this.view.deleting = true;
    return this;
  }
  build(): UserView {
    return structuredClone(this.view);
  }
}
export const aUser = (name: string) => new UserBuilder(name);

export class GrantBuilder {
  private view: GrantView;
  constructor(name: string) {
    this.view = { namespace: "it", name, deleting: false, spec: { target: "ldap", subjects: {}, roles: [] } };
  }
  forUsers(...users: string[]): this {
    this.view.spec.subjects.users = users;
    return this;
  }
  selecting(matchLabels: Record<string, string>): this {
    this.view.spec.subjects.selector = { matchLabels };
    return this;
  }
  roles(...roles: string[]): this {
    this.view.spec.roles = roles;
    return this;
  }
  on(target: string, namespace = "it"): this {
    this.view.spec.target = target;
    this.view.namespace = namespace;
    return this;
  }
  with(spec: Partial<GrantView["spec"]>, createdAt?: string): this {
    Object.assign(this.view.spec, spec);
    if (createdAt) this.view.createdAt = createdAt;
    return this;
  }
  build(): GrantView {
    return structuredClone(this.view);
  }
}
export const aGrant = (name: string) => new GrantBuilder(name);

export function aTarget(overrides: Partial<TargetView> = {}): TargetView {
  return {
    namespace: "it",
    name: "ldap",
    type: "ldap",
    mode: "Enforce",
    leavePolicy: { type: "Disable" },
    orphanPolicy: "Report",
    adopt: [],
    generatePassword: false,
    ...overrides,
  };
}

export function anAccount(username: string, overrides: Partial<ObservedAccount> = {}): ObservedAccount {
  return {
    id: `uid=${username},ou=people`,
    username,
    owner: `roster:${username}`,
    enabled: true,
    attributes: {},
    roles: [],
    ...overrides,
  };
}

/** An account intent: wanted (and enabled) or not, for a User named like the account. */
export function anIntent(
  username: string,
  wanted: boolean,
  overrides: Partial<AccountIntent> = {},
): AccountIntent {
  return {
    user: username,
    username,
    wanted,
    enabled: wanted,
    reason: wanted ? "Active" : "NoGrant",
    attributes: {},
    roles: {},
    validUntil: undefined,
    leftAt: undefined,
    ...overrides,
  };
}

/** A target's desired state holding `intents`. */
export function aDesiredState(intents: AccountIntent[], managedRoles: string[] = []): TargetDesiredState {
  return {
    accounts: new Map(intents.map((i) => [i.username, i])),
    managedRoles,
    nextTransition: undefined,
  };
}
