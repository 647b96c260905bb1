import {
  equalityFilter,
  escapeDNValue,
  escapeFilterValue,
  isAttributeName,
} from "../../../../operator/src/connectors/shared/ldap-escape.js";
import {
  canonicalDN,
  childDN,
  normalizeDN,
  parseDN,
  rdnValue,
} from "../../../../operator/src/connectors/shared/ldap-dn.js";

describe("escapeDNValue (RFC 4514)", () => {
  it.each([
    ["plain text is kept", "alice", "alice"],
    ["comma", "a,b", "a\\,b"],
    ["plus", "a+b", "a\\+b"],
    ["double quote", 'a"b', 'a\\"b'],
    ["backslash", "a\\b", "a\\\\b"],
    ["angle brackets", "<a>", "\\<a\\>"],
    ["semicolon", "a;b", "a\\;b"],
    ["equals", "a=b", "a\\=b"],
    ["hash inside is kept", "a#b", "a#b"],
    ["leading hash", "#a", "\\#a"],
    ["leading space", " a", "\\ a"],
    ["trailing space", "a ", "a\\ "],
    ["only a space", " ", "\\ "],
    ["inner spaces are kept", "a  b", "a  b"],
    ["NUL as hex", "a\u0000b", "a\\00b"],
    ["other control characters as hex", "a\nb\u007f", "a\\0ab\\7f"],
    ["star and parentheses need no escape in a DN", "*(x)", "*(x)"],
    ["non-ASCII is kept as text", "ünï 日本 🙂", "ünï 日本 🙂"],
    ["empty value", "", ""],
  ])("%s", (_reason, input, expected) => {
    expect(escapeDNValue(input)).toBe(expected);
  });
});

describe("escapeFilterValue (RFC 4515)", () => {
  it.each([
    ["plain text is kept", "alice", "alice"],
    ["star", "a*", "a\\2a"],
    ["parentheses", "(a)", "\\28a\\29"],
    ["backslash", "a\\b", "a\\5cb"],
    ["NUL", "a\u0000", "a\\00"],
    ["an injection attempt stays one value", "*)(uid=*", "\\2a\\29\\28uid=\\2a"],
    ["DN specials need no escape in a filter", ',+"<>;=#', ',+"<>;=#'],
    ["non-ASCII is kept as text", "é日🙂", "é日🙂"],
  ])("%s", (_reason, input, expected) => {
    expect(escapeFilterValue(input)).toBe(expected);
  });

  it("builds equality filters and refuses attribute names that are not names", () => {
    expect(equalityFilter("uid", "a*")).toBe("(uid=a\\2a)");
    expect(() => equalityFilter("uid)(cn", "x")).toThrow(/not a valid LDAP attribute name/);
    expect(isAttributeName("userPrincipalName")).toBe(true);
    expect(isAttributeName("2.5.4.3")).toBe(true);
    expect(isAttributeName("cn=*")).toBe(false);
  });
});

describe("DN parsing", () => {
  const corpus = [
    'comma, plus+ quote" back\\slash <angle> semi; equals= hash# star* (parens)',
    " leading space",
    "trailing space ",
    "  two leading and two trailing  ",
    "#leading-hash",
    "nul\u0000inside",
    "ünïcödé 日本語 🙂",
    "*)(uid=*",
    "",
  ];

  it.each(corpus)("round-trips %j through escaping and parsing", (value) => {
    const dn = childDN("cn", value, "ou=people,dc=example,dc=org");
    const rdns = parseDN(dn);
    expect(rdns[0]).toEqual([{ type: "cn", value }]);
    expect(rdns.slice(1)).toEqual([
      [{ type: "ou", value: "people" }],
      [{ type: "dc", value: "example" }],
      [{ type: "dc", value: "org" }],
    ]);
    expect(rdnValue(dn)).toBe(value);
  });

  it("decodes hex escapes as UTF-8 bytes, as servers send them", () => {
    expect(rdnValue("cn=\\C3\\A9t\\C3\\A9\\2C x")).toBe("été, x");
    expect(rdnValue("uid=\\20lead\\23")).toBe(" lead#");
  });

  it("reads multi-valued RDNs and ignores spaces around separators", () => {
    expect(parseDN("cn=a+uid=b, ou=x")).toEqual([
      [
        { type: "cn", value: "a" },
        { type: "uid", value: "b" },
      ],
      [{ type: "ou", value: "x" }],
    ]);
  });

  it("drops unescaped trailing spaces of a value, with or without escapes in it", () => {
    expect(parseDN("uid=bu-00001  ,ou=People  ").map((rdn) => rdn[0]?.value)).toEqual(["bu-00001", "People"]);
    expect(rdnValue("cn=a b  +uid=c")).toBe("a b");
    expect(rdnValue("cn=x\\2C y  ,dc=z")).toBe("x, y");
    expect(rdnValue("cn=x\\20 ,dc=z")).toBe("x ");
  });

  it("rejects malformed DNs", () => {
    expect(() => parseDN("cn")).toThrow(/without "="/);
    expect(() => parseDN("cn=a\\")).toThrow(/lone backslash/);
    expect(() => parseDN("=a")).toThrow(/empty attribute type/);
  });

  it("normalizes spellings of the same DN to one form", () => {
    const ours = childDN("CN", "Smith, J", "OU=People,DC=Example");
    const theirs = "cn=smith\\2C j,ou=people, dc=example";
    expect(normalizeDN(ours)).toBe(normalizeDN(theirs));
    expect(normalizeDN("cn=a+uid=b,dc=x")).toBe(normalizeDN("UID=B+CN=A,DC=X"));
    expect(canonicalDN("uid=\\23x\\2C y,ou=P")).toBe("uid=\\#x\\, y,ou=P");
  });
});
