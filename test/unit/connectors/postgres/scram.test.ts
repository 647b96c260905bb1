import { passwordForServer, scramVerifier } from "../../../../operator/src/connectors/postgres/scram.js";

describe("SCRAM-SHA-256 verifiers", () => {
  it("matches the RFC 7677 test vector's keys for password 'pencil'", async () => {
    // RFC 7677 section 3: salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations; the ClientProof there
    // implies StoredKey = H(ClientKey). Our verifier's ServerKey yields the RFC's ServerSignature.
    const verifier = await scramVerifier("pencil", Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64"), 4096);
    expect(verifier).toMatch(
      /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
    );
    expect(verifier).toBe(
      "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
    );
  });

  it("salts every verifier afresh and never returns the password for ASCII passwords", async () => {
    const a = await passwordForServer("Pa55word!");
    const b = await passwordForServer("Pa55word!");
    expect(a).toMatch(/^SCRAM-SHA-256\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("Pa55word!");
  });

  it("leaves non-ASCII passwords to the server, which applies SASLprep", async () => {
    await expect(passwordForServer("mötley-crüe")).resolves.toBe("mötley-crüe");
  });
});
