/**
 * Consistent pagination: the first page of a limited list takes a snapshot of the matching
 * objects; continue tokens point into that snapshot, so every page shares one RV.
 */
import { randomBytes } from "node:crypto";
import { badRequest, expired } from "../errors.js";
import type { KubeObject } from "../kinds/types.js";

interface Snapshot {
  items: KubeObject[];
  rv: number;
  createdAt: number;
}

interface Token {
  id: string;
  offset: number;
  rv: number;
}

const EXPIRED_MESSAGE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

export interface Page {
  items: KubeObject[];
  rv: number;
  continueToken?: string;
  remaining: number;
}

export class Paginator {
  private readonly snapshots = new Map<string, Snapshot>();
  constructor(
    private readonly maxSnapshots = 64,
    private readonly ttlMs = 5 * 60 * 1000,
  ) {}

  /** Drops every snapshot (continue tokens then get 410, like etcd compaction). */
  clear(): void {
    this.snapshots.clear();
  }

  private decode(token: string): Token {
    try {
      const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Token;
      if (typeof t.id !== "string" || typeof t.offset !== "number") throw new Error("bad token");
      return t;
    } catch {
      throw badRequest(
        "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
      );
    }
  }

  private remember(items: KubeObject[], rv: number): string {
    const now = Date.now();
    for (const [id, s] of this.snapshots) if (now - s.createdAt > this.ttlMs) this.snapshots.delete(id);
    while (this.snapshots.size >= this.maxSnapshots) {
      const oldest = this.snapshots.keys().next().value as string;
      this.snapshots.delete(oldest);
    }
    const id = randomBytes(9).toString("base64url");
    this.snapshots.set(id, { items, rv, createdAt: now });
    return id;
  }

  private slice(id: string, snap: Snapshot, offset: number, limit: number): Page {
    const items = snap.items.slice(offset, offset + limit);
    const next = offset + items.length;
    const page: Page = { items, rv: snap.rv, remaining: snap.items.length - next };
    if (next < snap.items.length) {
      page.continueToken = Buffer.from(JSON.stringify({ id, offset: next, rv: snap.rv })).toString(
        "base64url",
      );
    } else this.snapshots.delete(id);
    return page;
  }

  /** A first page (`all` = every matching object now) or a continued page. */
  page(
    all: () => KubeObject[],
    rv: number,
    limit: number | undefined,
    continueToken: string | undefined,
  ): Page {
    if (continueToken) {
      const token = this.decode(continueToken);
      const snap = this.snapshots.get(token.id);
      if (!snap) throw expired(EXPIRED_MESSAGE);
      return this.slice(token.id, snap, token.offset, limit && limit > 0 ? limit : snap.items.length);
    }
    const items = all();
    if (!limit || limit <= 0 || items.length <= limit) return { items, rv, remaining: 0 };
    const id = this.remember(items, rv);
    return this.slice(id, this.snapshots.get(id) as Snapshot, 0, limit);
  }
}
