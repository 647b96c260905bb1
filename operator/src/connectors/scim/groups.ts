/**
 * Roles as SCIM Groups, found by displayName. Membership changes are PATCH member operations
 * (many members per request, never the whole list); the whole member list is only written back
 * when the provider has no PATCH, and then as a read-modify-write guarded by If-Match (retried
 * when another writer got there first).
 */
import { ConflictError, TerminalError, TransientError } from "../../errors.js";
import type { ScimCapabilities } from "./discovery.js";
import { GROUP_SCHEMA } from "./mapping.js";
import { planMembership, type MemberDelta, type MembershipPlan } from "./membership-plan.js";
import { KeyedSerializer } from "./semaphore.js";
import type { ScimConfig } from "./config.js";
import type { Resource, ScimResources, Versioned } from "./resources.js";

const READ_MODIFY_WRITE_ATTEMPTS = 4;

export function memberIds(group: Resource): string[] {
  const members = Array.isArray(group.members) ? group.members : [];
  return members.flatMap((m: unknown) => {
    const value = typeof m === "object" && m !== null ? (m as Resource).value : undefined;
    return typeof value === "string" ? [value] : [];
  });
}

export class ScimGroups {
  /** displayName → SCIM id, learnt once per connector. */
  private readonly ids = new Map<string, string>();
  /** Full member-list writes to one group from this connector go one at a time (If-Match guards the rest). */
  private readonly perGroup = new KeyedSerializer();

  constructor(
    private readonly groups: ScimResources,
    private readonly config: ScimConfig,
    private readonly capabilities: ScimCapabilities,
  ) {}

  /** Members (user ids) of each role that exists; a missing role has no entry. */
  async members(roles: readonly string[], signal?: AbortSignal): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    if (roles.length === 0) return result;
    this.requireGroups();
    for (const role of new Set(roles)) {
      const id = await this.find(role, signal);
      const group = id === undefined ? undefined : await this.groups.get(id, signal);
      if (group) result.set(role, new Set(memberIds(group.resource)));
    }
    return result;
  }

  async addMember(role: string, userId: string): Promise<void> {
    await this.changeMembers(role, { add: [userId], remove: [] });
  }

  async removeMember(role: string, userId: string): Promise<void> {
    await this.changeMembers(role, { add: [], remove: [userId] });
  }

  /**
   * Adds and removes many members of one role with one read of the group and one PATCH per
   * MEMBER_CHANGES_PER_PATCH changes (one full replace without PATCH). The group is created for
   * additions when the Target allows it; removals from a group that does not exist are done.
   */
  async changeMembers(role: string, delta: MemberDelta): Promise<void> {
    const groupId = delta.add.length > 0 ? await this.findOrCreate(role) : await this.find(role);
    if (groupId === undefined) return; // no such group: nobody is a member
    // Changes to one group from this process are queued: full-list writes need it, and providers
    // such as Better Auth refuse concurrent PATCHes of one group (409).
    return this.perGroup.run(groupId, () => this.readModifyWrite(groupId, delta));
  }

  /**
   * Reads the group, plans the delta against its members, and writes the plan: PATCHes when
   * supported, otherwise the full resource with If-Match. A lost race (409 / 412) re-reads and
   * plans again, so the chunks already written are not repeated.
   */
  private async readModifyWrite(groupId: string, delta: MemberDelta): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const group = await this.groups.get(groupId);
      if (!group) {
        for (const [role, id] of this.ids) if (id === groupId) this.ids.delete(role);
        throw new TransientError(
          "GroupVanished",
          `SCIM group ${groupId} disappeared during a membership change`,
        );
      }
      const plan = planMembership(memberIds(group.resource), delta, this.config.quirks);
      if (!plan) return;
      try {
        return await this.write(groupId, group, plan);
      } catch (err) {
        // A 412 (If-Match) or a 409 on a membership write means another writer changed the group.
        const lostRace =
          (err instanceof TransientError && err.reason === "PreconditionFailed") ||
          err instanceof ConflictError;
        if (!lostRace) throw err;
        if (attempt >= READ_MODIFY_WRITE_ATTEMPTS) {
          throw new TransientError(
            "GroupChangedConcurrently",
            `SCIM group ${groupId} kept changing under a membership change: ${(err as Error).message}`,
            { cause: err },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
    }
  }

  private async write(groupId: string, group: Versioned, plan: MembershipPlan): Promise<void> {
    if (this.capabilities.patch) {
      for (const operations of plan.patches) await this.groups.patch(groupId, operations);
      return;
    }
    const body: Resource = { ...group.resource, members: plan.next.map((value) => ({ value })) };
    delete body.meta;
    await this.groups.replace(groupId, body, group.version);
  }

  private async find(role: string, signal?: AbortSignal): Promise<string | undefined> {
    const known = this.ids.get(role);
    if (known !== undefined) return known;
    const group = await this.groups.findBy("displayName", role, signal);
    const id = typeof group?.id === "string" ? group.id : undefined;
    if (id !== undefined) this.ids.set(role, id);
    return id;
  }

  private async findOrCreate(role: string): Promise<string> {
    this.requireGroups();
    const existing = await this.find(role);
    if (existing !== undefined) return existing;
    if (!this.config.createGroups)
      throw new TerminalError(
        "GroupNotFound",
        `SCIM group "${role}" does not exist and the Target does not allow creating groups`,
      );
    try {
      const created = await this.groups.create({ schemas: [GROUP_SCHEMA], displayName: role, members: [] });
      this.ids.set(role, String(created.id));
      return String(created.id);
    } catch (err) {
      // Created meanwhile by a concurrent reconcile: use that one.
      const raced = err instanceof ConflictError ? await this.find(role) : undefined;
      if (raced === undefined) throw err;
      return raced;
    }
  }

  private requireGroups(): void {
    if (!this.capabilities.groups)
      throw new TerminalError(
        "GroupsUnsupported",
        "the SCIM provider has no Group resource type, so roles cannot be managed",
      );
  }
}
