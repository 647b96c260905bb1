/**
 * Client-side SCRAM-SHA-256 password verifiers (RFC 5802 / RFC 7677, PostgreSQL's stored format)
 * so that `CREATE ROLE ... PASSWORD` carries a verifier, not the password: the plaintext never
 * reaches the server, its statement log or pg_stat_activity.
 *
 * PostgreSQL applies SASLprep to passwords before hashing; an ASCII password is left unchanged by
 * SASLprep, so verifiers are only computed for ASCII passwords. For any other password
 * `passwordForServer` returns the plaintext and lets the server hash it (still never logged by us).
 */
import { createHash, createHmac, pbkdf2, randomBytes } from "node:crypto";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

/** PostgreSQL's default scram_iterations. */
export const SCRAM_ITERATIONS = 4096;

/** The verifier PostgreSQL stores in pg_authid.rolpassword for `password`, with a given salt. */
export async function scramVerifier(
  password: string,
  salt: Buffer,
  iterations = SCRAM_ITERATIONS,
): Promise<string> {
  const salted = await pbkdf2Async(Buffer.from(password, "utf8"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  const b64 = (b: Buffer) => b.toString("base64");
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** What to put after `PASSWORD`: a fresh-salted verifier for ASCII passwords, else the plaintext. */
export async function passwordForServer(password: string): Promise<string> {
  if (!ASCII.test(password)) return password;
  return scramVerifier(password, randomBytes(16));
}
