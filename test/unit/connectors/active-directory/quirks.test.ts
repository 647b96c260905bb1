import {
  formatGuid,
  fromFileTime,
  isDisabled,
  NEVER_EXPIRES,
  samAccountName,
  toFileTime,
  unicodePwd,
  withAccountDisabled,
} from "../../../../operator/src/connectors/active-directory/quirks.js";

describe("sAMAccountName", () => {
  it.each([
    ["a short valid name is kept", "jdoe", "jdoe"],
    ["exactly 20 characters is kept", "abcdefghij0123456789", "abcdefghij0123456789"],
  ])("%s", (_reason, username, expected) => {
    expect(samAccountName(username)).toBe(expected);
  });

  it.each([
    ["21 characters", "abcdefghij0123456789x"],
    ["a long HR name", "firstname.lastname-contractor-2026"],
    ["characters AD refuses", 'a/b\\c[d]e:f;g|h=i,j+k*l?m<n>o"p@q'],
    ["a trailing dot", "jdoe."],
  ])("truncates %s to 15 characters, a dash and 4 hex of its hash", (_reason, username) => {
    const sam = samAccountName(username);
    expect(sam.length).toBeLessThanOrEqual(20);
    expect(sam).toMatch(/^[^"/\\[\]:;|=,+*?<>@]{1,15}-[0-9a-f]{4}$/);
    expect(samAccountName(username)).toBe(sam);
  });

  it("keeps long names that share a prefix distinct", () => {
    const a = samAccountName("very-long-common-prefix-alice");
    const b = samAccountName("very-long-common-prefix-bob");
    expect(a.slice(0, 15)).toBe(b.slice(0, 15));
    expect(a).not.toBe(b);
  });

  it("does not collide a sanitized name with its literal twin", () => {
    expect(samAccountName("a_b")).toBe("a_b");
    expect(samAccountName("a/b")).not.toBe("a_b");
  });

  it("counts characters, not UTF-16 units", () => {
    const sam = samAccountName("🙂".repeat(30));
    expect(Array.from(sam)).toHaveLength(20);
  });
});

describe("unicodePwd", () => {
  it("is the quoted password in UTF-16LE", () => {
    expect([...unicodePwd("Ab1")]).toEqual([0x22, 0, 0x41, 0, 0x62, 0, 0x31, 0, 0x22, 0]);
    expect(unicodePwd("é").toString("utf16le")).toBe('"é"');
  });
});

describe("userAccountControl", () => {
  it.each([
    ["disabling a normal account", 512, true, 514],
    ["enabling a disabled account", 514, false, 512],
    ["disabling twice", 514, true, 514],
    ["keeping DONT_EXPIRE_PASSWORD while disabling", 512 | 0x10000, true, 514 | 0x10000],
    ["keeping PASSWORD_NOTREQD while enabling", 514 | 0x20, false, 512 | 0x20],
  ])("%s", (_reason, before, disable, after) => {
    expect(withAccountDisabled(before, disable)).toBe(after);
    expect(isDisabled(after)).toBe(disable);
  });
});

describe("accountExpires (FILETIME)", () => {
  it.each([
    ["the Unix epoch", "1970-01-01T00:00:00Z", "116444736000000000"],
    ["a date in 2030", "2030-01-01T00:00:00Z", "135379296000000000"],
    [
      "milliseconds and offsets",
      "2026-06-30T12:00:00.123+02:00",
      (BigInt(Date.UTC(2026, 5, 30, 10, 0, 0, 123)) * 10_000n + 116444736000000000n).toString(),
    ],
  ])("converts %s", (_reason, instant, fileTime) => {
    expect(toFileTime(instant)).toBe(fileTime);
    expect(fromFileTime(fileTime)).toBe(new Date(instant).toISOString());
  });

  it("treats 0 and the maximum as never, and rejects non-instants", () => {
    expect(fromFileTime("0")).toBeUndefined();
    expect(fromFileTime(NEVER_EXPIRES)).toBeUndefined();
    expect(() => toFileTime("next tuesday")).toThrow(/RFC 3339/);
  });
});

describe("objectGUID", () => {
  it("formats the first three groups little-endian", () => {
    const bytes = Buffer.from("6964a4031141 7f44b9bc433106b646e1".replace(" ", ""), "hex");
    expect(formatGuid(bytes)).toBe("03a46469-4111-447f-b9bc-433106b646e1");
    expect(() => formatGuid(Buffer.alloc(3))).toThrow(/16 bytes/);
  });
});
