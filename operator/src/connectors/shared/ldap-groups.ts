/**
 * Roles as directory groups, found by `cn` under the groups base DN. Membership changes add or
 * delete given values of the member attribute (one at a time, or many at once for a batch), so
 * members that other tools or people manage are never rewritten. Shared by the OpenLDAP and AD
 * connectors.
 */
import { Attribute, Change, type Entry } from "ldapts";
import { isRosterError, TerminalError } from "../../errors.js";
import { chunked } from "../../runtime/batching.js";
import { normalizeDN } from "./ldap-dn.js";
import { ignoringResults, LdapResult, ldapResultCode } from "./ldap-errors.js";
import { valuesOf } from "./ldap-entry.js";
import { equalityFilter } from "./ldap-escape.js";
import { parseRangedAttribute, rangeRequest } from "./ldap-range.js";
import type { LdapTransport } from "./ldap-transport.js";

export interface GroupSchema {
  groupsBaseDN: string;
  objectClass: string;
  /** `member`, `uniqueMember` (values are DNs) or `memberUid` (values are usernames). */
  memberAttribute: string;
  memberIsDN: boolean;
  /**
   * For groups whose schema requires at least one member (groupOfNames, groupOfUniqueNames):
   * the value left in place when Roster removes the last member. Undefined when groups may be empty.
   */
  emptyPlaceholder: string | undefined;
  pageSize: number;
  /** Result codes meaning "already a member" (OpenLDAP: 20; AD and Samba: 68). */
  alreadyMemberCodes: readonly number[];
  /** Result codes meaning "not a member" (OpenLDAP: 16; AD and Samba: 53). */
  notMemberCodes: readonly number[];
  /** Window size for ranged retrieval of the member attribute (AD); undefined reads it whole. */
  rangeSize: number | undefined;
}

/** Normal form of a member value, for comparisons. */
export function memberKey(schema: GroupSchema, value: string): string {
  return schema.memberIsDN ? normalizeDN(value) : value;
}

/** Member values per modify in bulk membership changes (keeps requests a sane size). */
export const MEMBER_VALUES_PER_MODIFY = 500;

const memberChange = (operation: "add" | "delete", type: string, values: string[]): Change =>
  new Change({ operation, modification: new Attribute({ type, values }) });

export class GroupDirectory {
  private readonly dnByRole = new Map<string, string>();

  constructor(
    private readonly transport: LdapTransport,
    private readonly schema: GroupSchema,
  ) {}

  private groupFilter(extra: string): string {
    return `(&${equalityFilter("objectClass", this.schema.objectClass)}${extra})`;
  }

  /** The DN of the group named `role`; a missing group is a configuration problem (terminal). */
  async resolve(role: string): Promise<string> {
    const cached = this.dnByRole.get(role);
    if (cached) return cached;
    const found = await this.transport.search(this.schema.groupsBaseDN, {
      scope: "sub",
      filter: this.groupFilter(equalityFilter("cn", role)),
      attributes: ["1.1"],
    });
    if (found.length !== 1) {
      const problem = found.length === 0 ? "no group" : `${found.length} groups`;
      throw new TerminalError("RoleNotFound", `${problem} named "${role}" under ${this.schema.groupsBaseDN}`);
    }
    const dn = (found[0] as Entry).dn;
    this.dnByRole.set(role, dn);
    return dn;
  }

  /**
   * Runs a modify of the group named `role`; when the cached DN no longer names an entry (the
   * group was moved or re-created), resolves the name again and retries once.
   */
  private async onGroup(role: string, modify: (dn: string) => Promise<void>): Promise<void> {
    try {
      await modify(await this.resolve(role));
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.noSuchObject || !this.dnByRole.delete(role)) throw err;
      await modify(await this.resolve(role));
    }
  }

  /** Adds one member value; "already a member" counts as success. */
  async addMember(role: string, member: string): Promise<void> {
    const change = new Change({
      operation: "add",
      modification: new Attribute({ type: this.schema.memberAttribute, values: [member] }),
    });
    await this.onGroup(role, (dn) =>
      ignoringResults(this.schema.alreadyMemberCodes, () => this.transport.modify(dn, [change])),
    );
  }

  /**
   * Removes one member value; "not a member" counts as success. When the schema refuses to leave
   * the group empty, the same modify also adds the placeholder member, atomically.
   */
  async removeMember(role: string, member: string): Promise<void> {
    await this.onGroup(role, (dn) => this.removeFrom(dn, member));
  }

  private async removeFrom(groupDN: string, member: string): Promise<void> {
    const remove = new Change({
      operation: "delete",
      modification: new Attribute({ type: this.schema.memberAttribute, values: [member] }),
    });
    const notMember = this.schema.notMemberCodes;
    try {
      await ignoringResults(notMember, () => this.transport.modify(groupDN, [remove]));
    } catch (err) {
      const placeholder = this.schema.emptyPlaceholder;
      if (placeholder === undefined || ldapResultCode(err) !== LdapResult.objectClassViolation) throw err;
      const keep = new Change({
        operation: "add",
        modification: new Attribute({ type: this.schema.memberAttribute, values: [placeholder] }),
      });
      await ignoringResults(notMember, () => this.transport.modify(groupDN, [keep, remove]));
    }
  }

  /** Names of the groups (among `roles`, or all when undefined) that hold `member`. */
  async rolesOf(member: string, roles: readonly string[] | undefined): Promise<string[]> {
    if (roles !== undefined && roles.length === 0) return [];
    const entries = await this.transport.search(this.schema.groupsBaseDN, {
      scope: "sub",
      filter: this.groupFilter(equalityFilter(this.schema.memberAttribute, member)),
      attributes: ["cn"],
      pageSize: this.schema.pageSize,
    });
    return this.pickRoles(entries, roles);
  }

  private pickRoles(entries: Entry[], roles: readonly string[] | undefined): string[] {
    const names = entries.flatMap((entry) => valuesOf(entry, "cn"));
    if (roles === undefined) return [...new Set(names)].sort();
    const held = new Set(names.map((name) => name.toLowerCase()));
    return roles.filter((role) => held.has(role.toLowerCase()));
  }

  /** For each role, the normalized keys of its members (ranged reads when configured). */
  async membersByRole(roles: readonly string[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    for (const role of roles) {
      const dn = await this.resolve(role);
      const values = await this.readMembers(dn);
      result.set(role, new Set(values.map((value) => memberKey(this.schema, value))));
    }
    return result;
  }

  /**
   * Like membersByRole, for the roles whose group can be found: a role without a group (or with
   * several) is left out, as `rolesOf` would simply not report it.
   */
  async readableMembersByRole(roles: readonly string[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    for (const role of new Set(roles)) {
      try {
        const members = await this.membersByRole([role]);
        result.set(role, members.get(role) ?? new Set());
      } catch (err) {
        if (!isRosterError(err) || err.reason !== "RoleNotFound") throw err;
      }
    }
    return result;
  }

  /**
   * Adds and removes many member values of the group named `role` from one read of its members:
   * values already present are not added again, values absent are not deleted, the rest go in
   * one modify per operation and chunk of MEMBER_VALUES_PER_MODIFY values. When the removals
   * would leave a group that must keep a member empty, the last modify also adds the
   * placeholder, atomically (as removeMember does). Rejects on the first failed modify.
   */
  async changeMembers(role: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    await this.onGroup(role, async (dn) => {
      const current = new Set((await this.readMembers(dn)).map((value) => memberKey(this.schema, value)));
      const adding = this.distinct(add).filter((value) => !current.has(memberKey(this.schema, value)));
      const removing = this.distinct(remove).filter((value) => current.has(memberKey(this.schema, value)));
      const attribute = this.schema.memberAttribute;
      for (const values of chunked(adding, MEMBER_VALUES_PER_MODIFY)) {
        await this.transport.modify(dn, [memberChange("add", attribute, values)]);
      }
      let remaining = current.size + adding.length;
      for (const values of chunked(removing, MEMBER_VALUES_PER_MODIFY)) {
        remaining -= values.length;
        const placeholder = this.schema.emptyPlaceholder;
        const keep =
          remaining === 0 && placeholder !== undefined ? [memberChange("add", attribute, [placeholder])] : [];
        await this.transport.modify(dn, [...keep, memberChange("delete", attribute, values)]);
      }
    });
  }

  /** Values with distinct member keys, first spelling kept. */
  private distinct(values: readonly string[]): string[] {
    const seen = new Map<string, string>();
    for (const value of values) {
      const key = memberKey(this.schema, value);
      if (!seen.has(key)) seen.set(key, value);
    }
    return [...seen.values()];
  }

  private async readMembers(groupDN: string): Promise<string[]> {
    const attribute = this.schema.memberAttribute;
    const size = this.schema.rangeSize;
    if (size === undefined) {
      const [entry] = await this.transport.search(groupDN, {
        scope: "base",
        filter: "(objectClass=*)",
        attributes: [attribute],
      });
      return entry ? valuesOf(entry, attribute) : [];
    }
    // The first read asks for the plain attribute: a server answers with a ranged window only when
    // the group is larger than its limit (AD's MaxValRange). Samba 4.17 drops the connection when a
    // ranged read targets a group without members, so ranges are only requested to continue.
    const members: string[] = [];
    for (let low = 0; ;) {
      const [entry] = await this.transport.search(groupDN, {
        scope: "base",
        filter: "(objectClass=*)",
        attributes: [low === 0 ? attribute : rangeRequest(attribute, low, size)],
      });
      const window = entry ? rangedWindow(entry, attribute) : undefined;
      if (!window) return members;
      members.push(...window.values);
      if (window.high === undefined) return members;
      low = window.high + 1;
    }
  }
}

/**
 * The window a ranged read returned: values plus the last index (undefined when final). Servers
 * may answer `member;range=4-*` to a request for `member;range=4-5`; every ranged key counts.
 */
function rangedWindow(
  entry: Entry,
  attribute: string,
): { values: string[]; high: number | undefined } | undefined {
  const windows = Object.keys(entry)
    .map((key) => ({ key, range: parseRangedAttribute(key) }))
    .filter(({ range }) => range?.attribute.toLowerCase() === attribute.toLowerCase());
  if (windows.length === 0) {
    const whole = valuesOf(entry, attribute);
    return whole.length > 0 ? { values: whole, high: undefined } : undefined;
  }
  const values = windows.flatMap(({ key }) => valuesOf(entry, key));
  const final = windows.some(({ range }) => range?.high === undefined);
  const high = Math.max(...windows.map(({ range }) => range?.high ?? 0));
  return { values, high: final ? undefined : high };
}
