import { renderCsv, renderRows, renderTable, type Column } from "../../../operator/src/cli/output.js";
import { parseCsv } from "../../../operator/src/cli/hr/csv.js";

const columns: Column[] = [
  { header: "NAME", key: "name" },
  { header: "ROLES", key: "roles" },
  { header: "OK", key: "ok" },
];

describe("output", () => {
  it("aligns a table on the widest cell, <none> for empty cells, no trailing spaces", () => {
    const text = renderTable(columns, [
      { name: "ann", roles: ["a", "b"], ok: true },
      { name: "bartholomew", roles: [], ok: undefined },
    ]);
    expect(text).toBe(
      "NAME          ROLES    OK\n" + "ann           a,b      true\n" + "bartholomew   <none>   <none>\n",
    );
  });

  it("writes RFC 4180 CSV that reads back to the same values", () => {
    const rows = [{ name: 'say "hi", ok', roles: ["x", "y"], ok: false }];
    const text = renderCsv(columns, rows);
    expect(text).toBe('name,roles,ok\r\n"say ""hi"", ok",x;y,false\r\n');
    expect(parseCsv(text).map((r) => r.fields)).toEqual([
      ["name", "roles", "ok"],
      ['say "hi", ok', "x;y", "false"],
    ]);
  });

  it("wraps rows as { items } in JSON and YAML, keeping lists as lists", () => {
    const rows = [{ name: "ann", roles: ["a"], ok: true }];
    expect(JSON.parse(renderRows("json", columns, rows))).toEqual({ items: rows });
    expect(renderRows("yaml", columns, rows)).toBe(
      "items:\n  - name: ann\n    roles:\n      - a\n    ok: true\n",
    );
  });
});
