/**
 * Authentication: an admin bearer token, and opaque ServiceAccount tokens issued by the
 * server (TokenRequest or the test hook). Without RBAC every bearer token is accepted as
 * admin, as kubeconfigs of tests expect; with RBAC an unknown token is 401 and a request
 * without credentials is system:anonymous.
 */
import { randomBytes } from "node:crypto";

export interface UserInfo {
  name: string;
  groups: string[];
  /** The admin bypasses authorization. */
  admin: boolean;
}

export const ADMIN_USER: UserInfo = {
  name: "localkube-admin",
  groups: ["system:masters", "system:authenticated"],
  admin: true,
};

export const ANONYMOUS_USER: UserInfo = {
  name: "system:anonymous",
  groups: ["system:unauthenticated"],
  admin: false,
};

export class Authenticator {
  private readonly serviceAccountTokens = new Map<string, { namespace: string; name: string }>();

  constructor(
    readonly adminToken: string,
    private readonly strict: boolean,
  ) {}

  /** Issues a new token for system:serviceaccount:<namespace>:<name>. */
  issue(namespace: string, name: string): string {
    const token = `lk-sa.${randomBytes(24).toString("base64url")}`;
    this.serviceAccountTokens.set(token, { namespace, name });
    return token;
  }

  /** Forgets every token of a deleted ServiceAccount. */
  revoke(namespace: string, name: string): void {
    for (const [token, sa] of this.serviceAccountTokens)
      if (sa.namespace === namespace && sa.name === name) this.serviceAccountTokens.delete(token);
  }

  /** The user behind an Authorization header, or undefined (401) when strict and unknown. */
  authenticate(authorization: string | undefined): UserInfo | undefined {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    if (token) {
      const sa = this.serviceAccountTokens.get(token);
      if (sa)
        return {
          name: `system:serviceaccount:${sa.namespace}:${sa.name}`,
          groups: [
            "system:serviceaccounts",
            `system:serviceaccounts:${sa.namespace}`,
            "system:authenticated",
          ],
          admin: false,
        };
      if (token === this.adminToken) return ADMIN_USER;
    }
    if (!this.strict) return ADMIN_USER;
    // Like kube-apiserver's anonymous auth: no credentials at all is system:anonymous; a bad token is 401.
    return token ? undefined : ANONYMOUS_USER;
  }
}
