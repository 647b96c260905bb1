/**
 * Resource-level SCIM operations for one endpoint (/Users or /Groups): lookups by an equality
 * filter, paged listing, and versioned reads and writes. No Roster semantics here.
 */
import { TerminalError } from "../../errors.js";
import type { ScimCapabilities } from "./discovery.js";
import { equalityFilter } from "./filter.js";
import {
  filterMissNeedsScan,
  isUnparsedEscapeFilter,
  listPage,
  type PatchOperation,
  patchRequest,
} from "./quirks.js";
import type { ScimConfig } from "./config.js";
import { scimType, type ScimTransport } from "./transport.js";

export type Resource = Record<string, unknown>;

export interface Versioned {
  resource: Resource;
  /** The version for If-Match (ETag header or meta.version); undefined when the peer has none. */
  version: string | undefined;
}

export class ScimResources {
  constructor(
    private readonly transport: ScimTransport,
    private readonly config: ScimConfig,
    private readonly capabilities: ScimCapabilities,
    /** "/Users" or "/Groups". */
    readonly endpoint: string,
  ) {}

  /**
   * The one resource whose `attribute` equals `value` exactly (case-sensitive first, then the
   * provider's case-insensitive match), or undefined. Results the peer returns that do not match
   * are ignored, so a mis-parsed filter can never select someone else.
   */
  async findBy(attribute: string, value: string, signal?: AbortSignal): Promise<Resource | undefined> {
    if (!this.capabilities.filter) return pickExact(await this.listAll(signal), attribute, value);
    const answer = await this.transport.request("GET", this.endpoint, {
      query: { filter: equalityFilter(attribute, value) },
      expect: [400],
      signal,
    });
    if (answer.status === 400 && !isUnparsedEscapeFilter(answer.status, scimType(answer.body), value))
      throw new TerminalError(
        "InvalidRequest",
        `SCIM GET ${this.endpoint} rejected the filter on ${attribute}${this.transport.detailOf(answer.body)}`,
      );
    const found =
      answer.status === 400 ? undefined : pickExact(this.page(answer.body).resources, attribute, value);
    if (found || !filterMissNeedsScan(value)) return found;
    return pickExact(await this.listAll(signal), attribute, value);
  }

  /**
   * Every resource, paged with startIndex / count (RFC 7644 §3.4.2.4). A provider that ignores
   * startIndex (the same page again before totalResults is reached) is a TerminalError, never a
   * silently partial list: a sync must not mistake unread accounts for missing ones.
   */
  async listAll(signal?: AbortSignal): Promise<Resource[]> {
    const count = Math.min(this.config.pageSize, this.capabilities.maxResults ?? Infinity);
    const byId = new Map<string, Resource>();
    for (let startIndex = 1; ; startIndex += count) {
      const answer = await this.transport.request("GET", this.endpoint, {
        query: { startIndex, count },
        signal,
      });
      const page = this.page(answer.body);
      const before = byId.size;
      for (const resource of page.resources) byId.set(String(resource.id), resource);
      const total = page.totalResults;
      if (page.resources.length === 0 || (total !== undefined && byId.size >= total)) break;
      if (byId.size === before) {
        if (total === undefined) break;
        throw new TerminalError(
          "PagingNotHonoured",
          `SCIM GET ${this.endpoint} returned already-read resources at startIndex ${startIndex} (${byId.size} of ${total} read): the provider does not page`,
        );
      }
      // A short page (the provider's own limit) moves the window by what it returned.
      if (page.resources.length < count) startIndex += page.resources.length - count;
    }
    return [...byId.values()];
  }

  async get(id: string, signal?: AbortSignal): Promise<Versioned | undefined> {
    const answer = await this.transport.request("GET", this.path(id), { expect: [404], signal });
    if (answer.status === 404) return undefined;
    const resource = this.resource(answer.body, "GET");
    return { resource, version: answer.etag ?? metaVersion(resource) };
  }

  async create(body: Resource): Promise<Resource> {
    return this.resource((await this.transport.request("POST", this.endpoint, { body })).body, "POST");
  }

  /** PATCH; If-Match when the peer supports ETags and a version is known. */
  async patch(id: string, operations: PatchOperation[], version?: string): Promise<void> {
    await this.transport.request("PATCH", this.path(id), {
      body: patchRequest(operations, this.config.quirks),
      ifMatch: this.ifMatch(version),
    });
  }

  async replace(id: string, body: Resource, version?: string): Promise<void> {
    await this.transport.request("PUT", this.path(id), { body, ifMatch: this.ifMatch(version) });
  }

  /** DELETE; true when deleted, false when it was already gone. */
  async delete(id: string): Promise<boolean> {
    return (await this.transport.request("DELETE", this.path(id), { expect: [404] })).status !== 404;
  }

  private ifMatch(version: string | undefined): string | undefined {
    return this.capabilities.etag ? version : undefined;
  }

  private path(id: string): string {
    return `${this.endpoint}/${encodeURIComponent(id)}`;
  }

  private page(body: unknown) {
    const page = listPage(body);
    if (!page)
      throw new TerminalError("MalformedResponse", `SCIM GET ${this.endpoint} did not return a ListResponse`);
    return page;
  }

  private resource(body: unknown, method: string): Resource {
    if (
      typeof body !== "object" ||
      body === null ||
      Array.isArray(body) ||
      typeof (body as Resource).id !== "string"
    )
      throw new TerminalError(
        "MalformedResponse",
        `SCIM ${method} ${this.endpoint} did not return a resource with an id`,
      );
    return body as Resource;
  }
}

function metaVersion(resource: Resource): string | undefined {
  const meta = resource.meta;
  const version = typeof meta === "object" && meta !== null ? (meta as Resource).version : undefined;
  return typeof version === "string" ? version : undefined;
}

function pickExact(candidates: Resource[], attribute: string, value: string): Resource | undefined {
  const exact = candidates.filter((r) => r[attribute] === value);
  if (exact.length === 1) return exact[0];
  const folded = candidates.filter(
    (r) => typeof r[attribute] === "string" && r[attribute].toLowerCase() === value.toLowerCase(),
  );
  if (exact.length === 0 && folded.length <= 1) return folded[0];
  throw new TerminalError(
    "AmbiguousLookup",
    `SCIM lookup by ${attribute} matched ${Math.max(exact.length, folded.length)} resources`,
  );
}
