import { randomBytes } from "node:crypto";
import { isNotFound, type KubeClient, type KubeObject } from "../../runtime/index.js";
import { PASSWORD_SECRET_LABEL, SECRETS } from "../resources.js";

/**
 * Initial passwords for new accounts, kept in a Secret per (Target, username) in the Target's
 * namespace, owned by the Target and labelled, so a person's first login can be handed over.
 * The Secret is written before the account is created, so a password is never lost; an existing
 * Secret's password is reused. Passwords never appear in logs, Events or status.
 */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

export function generatePassword(length = 24): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (const byte of bytes) {
    if (byte >= 256 - (256 % ALPHABET.length)) continue;
    out += ALPHABET[byte % ALPHABET.length];
    if (out.length === length - 4) break;
  }
  // Complexity rules (AD): at least one upper, lower, digit and symbol.
  return `${out}Aa7!`;
}

export function passwordSecretName(target: string, username: string): string {
  const base = `${target}-${username}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return `roster-pw-${base}`.slice(0, 253).replace(/-+$/, "");
}

export async function ensurePasswordSecret(
  client: KubeClient,
  target: KubeObject,
  username: string,
): Promise<string> {
  const namespace = target.metadata?.namespace ?? "";
  const targetName = target.metadata?.name ?? "";
  const name = passwordSecretName(targetName, username);
  try {
    const existing = await client.get<KubeObject & { data?: Record<string, string> }>(SECRETS, {
      namespace,
      name,
    });
    const encoded = existing.data?.password;
    if (encoded) return Buffer.from(encoded, "base64").toString("utf8");
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const password = generatePassword();
  await client.create(SECRETS, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace,
      labels: { [PASSWORD_SECRET_LABEL]: username.slice(0, 63).replace(/[^A-Za-z0-9._-]/g, "_") },
      ownerReferences: [
        {
          apiVersion: target.apiVersion ?? "",
          kind: target.kind ?? "Target",
          name: targetName,
          uid: target.metadata?.uid ?? "",
        },
      ],
    },
    type: "Opaque",
    data: {
      username: Buffer.from(username).toString("base64"),
      password: Buffer.from(password).toString("base64"),
    },
  });
  return password;
}
