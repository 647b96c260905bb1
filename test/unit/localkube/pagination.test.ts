import { Paginator } from "../../../localkube/src/handlers/pagination.js";
import type { KubeObject } from "../../../localkube/src/kinds/types.js";

const items = (names: string[]): KubeObject[] => names.map((name) => ({ metadata: { name } }));

describe("Paginator", () => {
  it("serves every page from the first page's snapshot", () => {
    const pager = new Paginator();
    let current = items(["a", "b", "c"]);
    const first = pager.page(() => current, 10, 2, undefined);
    current = items(["z"]);
    const second = pager.page(() => current, 11, 2, first.continueToken);
    expect(first.items.map((i) => i.metadata.name)).toEqual(["a", "b"]);
    expect(first.remaining).toBe(1);
    expect(second.items.map((i) => i.metadata.name)).toEqual(["c"]);
    expect(second.rv).toBe(10);
    expect(second.continueToken).toBeUndefined();
  });

  it("answers 410 for a dropped snapshot and 400 for garbage", () => {
    const pager = new Paginator();
    const first = pager.page(() => items(["a", "b"]), 1, 1, undefined);
    pager.clear();
    expect(() => pager.page(() => [], 2, 1, first.continueToken)).toThrow(
      expect.objectContaining({ code: 410 }),
    );
    expect(() => pager.page(() => [], 2, 1, "%%%")).toThrow(expect.objectContaining({ code: 400 }));
  });

  it("returns everything without a limit", () => {
    expect(
      new Paginator().page(() => items(["a", "b"]), 1, undefined, undefined).continueToken,
    ).toBeUndefined();
  });
});
