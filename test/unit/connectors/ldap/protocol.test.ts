import { passwordModifyRequest } from "../../../../operator/src/connectors/shared/ldap-password-modify.js";
import { parseRangedAttribute, rangeRequest } from "../../../../operator/src/connectors/shared/ldap-range.js";
import {
  markerValue,
  readMarker,
  withoutMarkers,
} from "../../../../operator/src/connectors/shared/ldap-marker.js";

describe("password modify request (RFC 3062)", () => {
  it("encodes userIdentity [0] and newPasswd [2] in a sequence", () => {
    const encoded = passwordModifyRequest("uid=a", "pw");
    expect([...encoded]).toEqual([0x30, 11, 0x80, 5, ...Buffer.from("uid=a"), 0x82, 2, ...Buffer.from("pw")]);
  });

  it("uses long-form lengths past 127 bytes and UTF-8 for text", () => {
    const dn = `uid=${"é".repeat(100)}`;
    const encoded = passwordModifyRequest(dn, "x");
    const identityLength = Buffer.byteLength(dn, "utf8");
    expect(identityLength).toBe(204);
    expect([...encoded.subarray(0, 2)]).toEqual([0x30, 0x81]);
    expect(encoded[2]).toBe(2 + 1 + identityLength + 3);
    expect([...encoded.subarray(3, 6)]).toEqual([0x80, 0x81, identityLength]);
    expect(encoded.subarray(6, 6 + identityLength).toString("utf8")).toBe(dn);
  });
});

describe("ranged attributes", () => {
  it.each([
    ["a middle window", "member;range=0-1499", { attribute: "member", low: 0, high: 1499 }],
    ["the last window", "member;range=1500-*", { attribute: "member", low: 1500, high: undefined }],
    ["case and options", "Member;binary;Range=3-4", { attribute: "Member", low: 3, high: 4 }],
    ["no range", "member", undefined],
  ])("parses %s", (_reason, description, expected) => {
    expect(parseRangedAttribute(description)).toEqual(expected);
  });

  it("requests windows of the configured size", () => {
    expect(rangeRequest("member", 0, 1500)).toBe("member;range=0-1499");
    expect(rangeRequest("member", 1500, 1500)).toBe("member;range=1500-2999");
  });
});

describe("ownership marker values", () => {
  it("round-trips the marker and ignores values others wrote", () => {
    expect(markerValue("roster.dev/x")).toBe("roster-owner:roster.dev/x");
    expect(readMarker(["Sales", "roster-owner:roster.dev/x"])).toBe("roster.dev/x");
    expect(readMarker(["Sales"])).toBeUndefined();
    expect(withoutMarkers(["Sales", "roster-owner:roster.dev/x"])).toEqual(["Sales"]);
  });
});
