import { CsvError, parseCsv } from "../../../operator/src/cli/hr/csv.js";
import { readExport } from "../../../operator/src/cli/hr/source.js";

describe("parseCsv (RFC 4180)", () => {
  it.each([
    [
      "plain fields",
      "a,b,c\n1,2,3\n",
      [
        [1, ["a", "b", "c"]],
        [2, ["1", "2", "3"]],
      ],
    ],
    [
      "CRLF line breaks and no final newline",
      "a,b\r\n1,2",
      [
        [1, ["a", "b"]],
        [2, ["1", "2"]],
      ],
    ],
    ["a quoted comma", 'a,"b, c"\n', [[1, ["a", "b, c"]]]],
    ["doubled quotes inside quotes", '"say ""hi""",x\n', [[1, ['say "hi"', "x"]]]],
    [
      "a line break inside quotes keeps the record's first line",
      'h\n"one\ntwo"\nnext\n',
      [
        [1, ["h"]],
        [2, ["one\ntwo"]],
        [4, ["next"]],
      ],
    ],
    ["empty fields", ",,\n", [[1, ["", "", ""]]]],
    ["an empty quoted field", 'a,""\n', [[1, ["a", ""]]]],
    ["a byte order mark is dropped", "\uFEFFa,b\n", [[1, ["a", "b"]]]],
    [
      "blank lines are skipped but counted",
      "a\n\n\nb\n",
      [
        [1, ["a"]],
        [4, ["b"]],
      ],
    ],
    ["non-ASCII text", "Díaz,Ōta\n", [[1, ["Díaz", "Ōta"]]]],
  ])("%s", (_name, input, expected) => {
    expect(parseCsv(input).map((r) => [r.line, r.fields])).toEqual(expected);
  });

  it.each([
    [
      "an unclosed quote names the line it opened on",
      'a\nb,"open\nmore\n',
      2,
      "a quoted field is never closed",
    ],
    ["a quote in an unquoted field", 'a\nb"c\n', 2, "a quote inside an unquoted field"],
    ["text after a closing quote", '"a"b\n', 1, "unexpected text after a closing quote"],
  ])("rejects %s", (_name, input, line, reason) => {
    let error: unknown;
    try {
      parseCsv(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CsvError);
    expect(error).toMatchObject({ line, reason });
  });
});

describe("readExport", () => {
  it("reads CSV records by header, trimming values, and reports rows with the wrong field count", () => {
    const result = readExport("Login, Email\nann , ann@x.example\nbob\n", "csv");
    expect(result.columns).toEqual(["Login", "Email"]);
    expect(result.records).toEqual([{ line: 2, values: { Login: "ann", Email: "ann@x.example" } }]);
    expect(result.problems).toEqual([{ line: 3, message: "has 1 fields, the header has 2" }]);
  });

  it("reads a JSON array with each record's line, flattening nested keys and numbers to text", () => {
    const json = `[
  {"login": "ann", "id": 7, "manager": {"login": "bob"}, "end": null},
  {"login": "bob"}
]`;
    const result = readExport(json, "json");
    expect(result.records).toEqual([
      { line: 2, values: { login: "ann", id: "7", "manager.login": "bob" } },
      { line: 3, values: { login: "bob" } },
    ]);
    expect(result.fatal).toBeUndefined();
  });

  it("reads a JSON object holding one array of records", () => {
    const result = readExport('{"employees": [{"login": "ann"}], "count": 1}', "json");
    expect(result.records).toEqual([{ line: 1, values: { login: "ann" } }]);
  });

  it.each([
    ["csv", "", "the file is empty"],
    ["csv", 'a\n"x', "a quoted field is never closed"],
    ["json", "{ not json", "not valid JSON"],
    ["json", '{"a": 1}', "expected an array of records"],
  ] as const)("a %s file that cannot be read is fatal: %j", (format, text, message) => {
    expect(readExport(text, format).fatal?.message).toContain(message);
  });
});
