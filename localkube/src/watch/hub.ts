/**
 * Watch streams: headers flushed at once, one JSON event per line, resume from a
 * resourceVersion without replaying, selector transitions, bookmarks, 410 Expired after
 * compaction, and a clean end (never a reset socket) on timeout or when dropped.
 */
import type { ServerResponse } from "node:http";
import type { ApiError } from "../errors.js";
import { expired } from "../errors.js";
import type { KubeObject, ResourceType } from "../kinds/types.js";
import { matches, type Selection } from "../selectors.js";
import type { EventType, Store, StoreEvent } from "../store.js";

const CRD_STORE = "apiextensions.k8s.io/customresourcedefinitions";

/** The store a CRD's resources live in (watches on it end when the CRD is deleted). */
function crdStoreKey(crd: KubeObject): string {
  const spec = crd["spec"] as { group?: string; names?: { plural?: string } } | undefined;
  return `${spec?.group ?? ""}/${spec?.names?.plural ?? ""}`;
}

export type WatchEventType = EventType | "BOOKMARK" | "ERROR";

export interface WatchRequest {
  rt: ResourceType;
  selection: Selection;
  resourceVersion: string | undefined;
  timeoutSeconds: number;
  bookmarks: boolean;
  /** Turns a stored object into what goes on the wire (served form or a Table row). */
  render: (type: WatchEventType, object: KubeObject) => unknown;
}

/** Maps a store event to the event this watcher sees, given its selection. */
export function eventFor(
  selection: Selection,
  event: StoreEvent,
): { type: EventType; object: KubeObject } | undefined {
  const now = matches(selection, event.object);
  if (event.type === "ADDED") return now ? { type: "ADDED", object: event.object } : undefined;
  if (event.type === "DELETED") return now ? { type: "DELETED", object: event.object } : undefined;
  const before = event.previous ? matches(selection, event.previous) : false;
  if (before && now) return { type: "MODIFIED", object: event.object };
  if (now) return { type: "ADDED", object: event.object };
  if (before) return { type: "DELETED", object: event.object };
  return undefined;
}

export class WatchHub {
  private readonly active = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly bookmarkIntervalMs: number,
  ) {}

  get count(): number {
    return this.active.size;
  }

  /** Ends every open watch cleanly (clients re-watch from their last RV). */
  dropAll(): void {
    for (const end of [...this.active]) end();
  }

  serve(res: ServerResponse, request: WatchRequest): void {
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked",
    });
    res.flushHeaders();
    const { rt, selection } = request;
    const write = (type: WatchEventType, object: unknown): void => {
      if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + "\n");
    };
    const send = (type: WatchEventType, object: KubeObject): void =>
      write(type, request.render(type, object));
    const rvText = request.resourceVersion;
    if (rvText && rvText !== "0") {
      const since = Number(rvText);
      const backlog = Number.isFinite(since) ? this.store.eventsSince(rt.storeKey, since) : undefined;
      if (!backlog) {
        const oldest = this.store.oldestResourceVersion;
        const error: ApiError = expired(`too old resource version: ${rvText} (${oldest})`);
        write("ERROR", error.status);
        res.end();
        return;
      }
      for (const ev of backlog) {
        const seen = eventFor(selection, ev);
        if (seen) send(seen.type, seen.object);
      }
    } else {
      for (const obj of this.store.list(rt.storeKey, selection.namespace))
        if (matches(selection, obj)) send("ADDED", obj);
    }
    this.follow(res, request, send);
  }

  private follow(
    res: ServerResponse,
    request: WatchRequest,
    send: (t: WatchEventType, o: KubeObject) => void,
  ): void {
    const unsubscribe = this.store.subscribe((ev) => {
      if (
        ev.type === "DELETED" &&
        ev.storeKey === CRD_STORE &&
        crdStoreKey(ev.object) === request.rt.storeKey
      ) {
        end();
        return;
      }
      if (ev.storeKey !== request.rt.storeKey) return;
      const seen = eventFor(request.selection, ev);
      if (seen) send(seen.type, seen.object);
    });
    const timers: NodeJS.Timeout[] = [];
    const end = (): void => {
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      this.active.delete(end);
      if (!res.writableEnded) res.end();
    };
    timers.push(setTimeout(end, request.timeoutSeconds * 1000));
    if (request.bookmarks) {
      const bookmark = (): void => {
        const marker: KubeObject = { metadata: { resourceVersion: String(this.store.resourceVersion) } };
        send("BOOKMARK", marker);
      };
      timers.push(setInterval(bookmark, this.bookmarkIntervalMs));
    }
    this.active.add(end);
    res.on("close", end);
  }
}
