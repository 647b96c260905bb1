/**
 * SCIM Users as Roster accounts: lookup by userName, manager resolution, and attribute / state
 * writes that use PATCH when the provider supports it and a full PUT (If-Match guarded when
 * ETags are offered) otherwise.
 */
import type { AttributeValue } from "../../engine/connector.js";
import { TransientError } from "../../errors.js";
import type { ScimCapabilities } from "./discovery.js";
import { attributeOperations, observedUser, replacedResource, singleValue } from "./mapping.js";
import type { PatchOperation } from "./quirks.js";
import type { Resource, ScimResources, Versioned } from "./resources.js";

const WRITE_ATTEMPTS = 3;

/**
 * Reads are remembered this long (longer than any caller trusts them, see accounts.ts), so the
 * memory follows the read rate, not the number of users.
 */
const READ_MEMORY_MS = 60_000;

/** A user as last read: its id and Roster's marker on it (undefined when none). */
export interface LastRead {
  id: string;
  owner: string | undefined;
  at: number;
}

export class ScimUsers {
  /** SCIM id → userName, learnt from every user seen (to report `manager` as a username). */
  private readonly userNames = new Map<string, string>();
  /** userName → what the latest read of that user showed, and when; oldest first, none older than READ_MEMORY_MS. */
  private readonly lastRead = new Map<string, LastRead>();

  constructor(
    readonly resources: ScimResources,
    private readonly capabilities: ScimCapabilities,
  ) {}

  async find(userName: string, signal?: AbortSignal): Promise<Resource | undefined> {
    const found = await this.resources.findBy("userName", userName, signal);
    if (found) this.remember(found);
    return found;
  }

  async listAll(signal?: AbortSignal): Promise<Resource[]> {
    const all = await this.resources.listAll(signal);
    for (const user of all) this.remember(user);
    return all;
  }

  /** The manager's username for a user resource's enterprise manager id. */
  async managerUserName(managerRef: string, signal?: AbortSignal): Promise<string> {
    const known = this.userNames.get(managerRef);
    if (known !== undefined) return known;
    const manager = await this.resources.get(managerRef, signal);
    if (manager) this.remember(manager.resource);
    return this.userNames.get(managerRef) ?? managerRef;
  }

  /**
   * Roster attribute values → wire values: single strings, `manager` resolved from a username to
   * that user's SCIM id. An unknown manager resolves to undefined (the caller decides).
   */
  async toWire(
    attributes: Record<string, AttributeValue | null>,
  ): Promise<Record<string, string | null | undefined>> {
    const wire: Record<string, string | null | undefined> = {};
    for (const [name, value] of Object.entries(attributes)) {
      const single = value === null ? null : singleValue(name, value);
      if (name === "manager" && single !== null) wire[name] = await this.managerRef(single);
      else wire[name] = single;
    }
    return wire;
  }

  /**
   * Applies attribute changes and top-level replacements (`active`, `externalId`) to one user:
   * PATCH operations when supported, else read-modify-write with PUT. Retries a lost If-Match race.
   */
  async modify(
    id: string,
    set: Record<string, string | null>,
    top: Record<string, unknown> = {},
  ): Promise<void> {
    const operations: PatchOperation[] = [
      ...attributeOperations(set),
      ...Object.entries(top).map(([path, value]): PatchOperation => ({ op: "replace", path, value })),
    ];
    if (operations.length === 0) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (this.capabilities.patch) return await this.resources.patch(id, operations);
        const current = await this.required(id);
        return await this.resources.replace(
          id,
          replacedResource(current.resource, set, top),
          current.version,
        );
      } catch (err) {
        const lostRace = err instanceof TransientError && err.reason === "PreconditionFailed";
        if (!lostRace || attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  private async required(id: string): Promise<Versioned> {
    const current = await this.resources.get(id);
    if (!current) throw new TransientError("AccountVanished", `SCIM user ${id} disappeared during an update`);
    return current;
  }

  private async managerRef(userName: string): Promise<string | undefined> {
    for (const [id, name] of this.userNames) if (name === userName) return id;
    const manager = await this.find(userName);
    return typeof manager?.id === "string" ? manager.id : undefined;
  }

  /** What a read of `userName` within the last `maxAgeMs` showed; undefined when there was none. */
  recentlyRead(userName: string, maxAgeMs: number): LastRead | undefined {
    const last = this.lastRead.get(userName);
    return last && Date.now() - last.at <= maxAgeMs ? last : undefined;
  }

  /** Forgets the latest read of `userName` (it proved stale). */
  forget(userName: string): void {
    this.lastRead.delete(userName);
  }

  /** Records `user` as just read (or just written by this connector, as the provider answered it). */
  remember(user: Resource): void {
    if (typeof user.id !== "string" || typeof user.userName !== "string") return;
    this.userNames.set(user.id, user.userName);
    const now = Date.now();
    this.lastRead.delete(user.userName); // re-inserted last: the map stays ordered by time
    this.lastRead.set(user.userName, { id: user.id, owner: observedUser(user).owner, at: now });
    for (const [name, read] of this.lastRead) {
      if (now - read.at <= READ_MEMORY_MS) break;
      this.lastRead.delete(name);
    }
  }
}
