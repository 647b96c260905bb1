import {
  adoptedComment,
  formatRoleComment,
  parseRoleComment,
} from "../../../../operator/src/connectors/postgres/marker.js";

describe("the role comment marker", () => {
  it("round-trips owner, attributes and note, with attribute keys sorted", () => {
    const text = formatRoleComment({
      owner: "roster.dev/t",
      attributes: { mail: "a@b", displayName: "Ada" },
      note: "hi",
    });
    expect(text).toBe(
      'roster:{"owner":"roster.dev/t","attributes":{"displayName":"Ada","mail":"a@b"},"note":"hi"}',
    );
    expect(parseRoleComment(text)).toEqual({
      owner: "roster.dev/t",
      attributes: { displayName: "Ada", mail: "a@b" },
      note: "hi",
    });
  });

  it.each([
    ["no comment", null],
    ["a free-text comment", "Finance reporting user"],
    ["the prefix with broken JSON", "roster:{not json"],
    ["the prefix with no owner", 'roster:{"attributes":{}}'],
    ["an empty owner", 'roster:{"owner":""}'],
    ["a non-string owner", 'roster:{"owner":42}'],
    ["JSON that is not an object", "roster:null"],
  ])("reads %s as not Roster's", (_reason, comment) => {
    expect(parseRoleComment(comment)).toEqual({ owner: undefined, attributes: {} });
  });

  it("keeps only string and string-list attribute values", () => {
    const parsed = parseRoleComment(
      'roster:{"owner":"o","attributes":{"a":"x","b":["y","z"],"c":1,"d":[1],"e":null}}',
    );
    expect(parsed.attributes).toEqual({ a: "x", b: ["y", "z"] });
  });

  it("keeps a free-text comment as the note when adopting", () => {
    expect(parseRoleComment(adoptedComment("Legacy DBA account", "m"))).toEqual({
      owner: "m",
      attributes: {},
      note: "Legacy DBA account",
    });
    expect(parseRoleComment(adoptedComment(null, "m"))).toEqual({ owner: "m", attributes: {} });
  });

  it("re-owns a Roster comment when adopting, keeping its attributes", () => {
    const before = formatRoleComment({ owner: "old", attributes: { displayName: "Ada" } });
    expect(parseRoleComment(adoptedComment(before, "new"))).toEqual({
      owner: "new",
      attributes: { displayName: "Ada" },
    });
  });
});
