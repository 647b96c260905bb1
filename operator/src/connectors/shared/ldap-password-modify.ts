/**
 * The LDAP Password Modify extended operation (RFC 3062): the server sets (and hashes, by its own
 * policy) a user's password. Only the request value's BER encoding lives here.
 */

export const PASSWORD_MODIFY_OID = "1.3.6.1.4.1.4203.1.11.1";

/** BER definite length octets. */
function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), berLength(content.length), content]);
}

/**
 * PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0] OCTET STRING OPTIONAL,
 * oldPasswd [1] OCTET STRING OPTIONAL, newPasswd [2] OCTET STRING OPTIONAL }, with the user's DN
 * and the new password (an administrative reset: no old password).
 */
export function passwordModifyRequest(userDN: string, newPassword: string): Buffer {
  const identity = tlv(0x80, Buffer.from(userDN, "utf8"));
  const password = tlv(0x82, Buffer.from(newPassword, "utf8"));
  return tlv(0x30, Buffer.concat([identity, password]));
}
