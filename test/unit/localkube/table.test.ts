import { humanDuration } from "../../../localkube/src/table/duration.js";
import { wantsTable } from "../../../localkube/src/table/table.js";

describe("printer column helpers", () => {
  it.each([
    [5_000, "5s"],
    [119_000, "119s"],
    [125_000, "2m5s"],
    [600_000, "10m"],
    [3 * 3600_000 + 5 * 60_000, "3h5m"],
    [30 * 3600_000, "30h"],
    [3 * 86400_000 + 2 * 3600_000, "3d2h"],
    [100 * 86400_000, "100d"],
  ])("humanDuration(%d) = %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it("recognises kubectl's Table Accept header", () => {
    expect(
      wantsTable(
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
      ),
    ).toBe(true);
    expect(wantsTable("application/json")).toBe(false);
  });
});
