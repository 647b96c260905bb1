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

export interface Credentials {
  adminToken: string;
  serviceAccountTokens: Array<[token: string, sa: { namespace: string; name: string }]>;
}

export class Authenticator {
  private readonly serviceAccountTokens = new Map<string, { namespace: string; name: string }>();
  /** Called after a token is issued (persistence). */
  onIssue: () => void = () => undefined;

  constructor(
    private admin: string,
    private readonly strict: boolean,
  ) {}

  get adminToken(): string {
    return this.admin;
  }

  export(): Credentials {
    return { adminToken: this.admin, serviceAccountTokens: [...this.serviceAccountTokens.entries()] };
  }

  /** Restores tokens saved by export(); `keepAdmin` keeps the admin token given at construction. */
  restore(credentials: Credentials, keepAdmin: boolean): void {
    if (!keepAdmin) this.admin = credentials.adminToken;
    for (const [token, sa] of credentials.serviceAccountTokens) this.serviceAccountTokens.set(token, sa);
  }

  /** Issues a new token for system:serviceaccount:<namespace>:<name>. */
  issue(namespace: string, name: string): string {
    const token = `lk-sa.${randomBytes(24).toString("base64url")}`;
    this.serviceAccountTokens.set(token, { namespace, name });
    this.onIssue();
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
      if (token === this.admin) return ADMIN_USER;
    }
    if (!this.strict) return ADMIN_USER;
    // Like kube-apiserver's anonymous auth: no credentials at all is system:anonymous; a bad token is 401.
    return token ? undefined : ANONYMOUS_USER;
  }
}
