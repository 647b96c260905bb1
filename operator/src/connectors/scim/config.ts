/**
 * The SCIM connector's resolved configuration: what the Target's `scim` section becomes once the
 * caller has read the referenced Secret. Parsed once with zod; every problem listed in one error.
 */
import { z } from "zod";
import { TerminalError } from "../../errors.js";

export const ScimBearerAuth = z.object({
  type: z.literal("bearer"),
  /** The static bearer token (already resolved from the Secret). Never logged. */
  token: z.string().min(1),
});

export const ScimOAuth2Auth = z.object({
  type: z.literal("oauth2"),
  /** Token endpoint for the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). */
  tokenURL: z.url(),
  clientId: z.string().min(1),
  /** Already resolved from the Secret. Never logged. */
  clientSecret: z.string().min(1),
  scopes: z.array(z.string().min(1)).default([]),
});

export const ScimAuth = z.discriminatedUnion("type", [ScimBearerAuth, ScimOAuth2Auth]);
export type ScimAuth = z.infer<typeof ScimAuth>;

/**
 * Peer quirks that discovery cannot reveal; the defaults follow RFC 7644. See quirks.ts.
 * - memberRemoval: "filterPath" sends `remove members[value eq "id"]` (RFC 7644 §3.5.2.2);
 *   "valueArray" sends `remove members` with `value: [{ value: id }]` (Entra ID style).
 * - patchOperationsKey: the key holding the PATCH operations (RFC: "Operations").
 */
export const ScimQuirks = z.object({
  memberRemoval: z.enum(["filterPath", "valueArray"]).default("filterPath"),
  patchOperationsKey: z.enum(["Operations", "operations"]).default("Operations"),
});
export type ScimQuirks = z.infer<typeof ScimQuirks>;

/** TLS trust for an https baseURL (and token URL), secrets already resolved. */
export const ScimTls = z.object({
  /** PEM CA bundle that signs the provider's certificate; default: the system CAs. */
  ca: z.string().min(1).optional(),
  /** Host name to verify the certificate against, when it differs from the URL's host. */
  serverName: z.string().min(1).optional(),
  /** Accept any certificate. Only for tests. */
  insecureSkipVerify: z.boolean().default(false),
});
export type ScimTls = z.infer<typeof ScimTls>;

export const ScimConfig = z.object({
  /** The SCIM base URL, e.g. https://app.example.com/scim/v2 (no trailing resource path). */
  baseURL: z.url(),
  auth: ScimAuth,
  tls: ScimTls.optional(),
  /** Create a SCIM Group for a role that does not exist yet (otherwise: TerminalError). */
  createGroups: z.boolean().default(false),
  /**
   * How Roster's ownership marker is stored in `externalId`: verbatim ("marker", the default, for
   * a per-user marker such as the User's uid), or as `<marker>#<userName>` ("markerWithUserName")
   * for providers that require unique externalIds while the engine's marker is shared.
   */
  externalId: z.enum(["marker", "markerWithUserName"]).default("marker"),
  timeouts: z
    .object({
      /** One HTTP request, including reading the body. */
      requestMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  /** Most HTTP requests in flight at once against this provider. */
  concurrency: z.number().int().min(1).max(256).default(8),
  retry: z
    .object({
      /** Attempts per request, the first one included, for 429 / 5xx / timeouts / network errors. */
      maxAttempts: z.number().int().min(1).max(10).default(4),
      /** First backoff delay; doubles per attempt, with jitter. */
      baseDelayMs: z.number().int().min(0).default(200),
      /** A Retry-After longer than this is not waited for in the client: TransientError instead. */
      maxRetryAfterMs: z.number().int().min(0).default(30_000),
    })
    .prefault({}),
  /** Page size for full listings; capped by the provider's filter.maxResults when it has one. */
  pageSize: z.number().int().min(1).max(1000).default(100),
  quirks: ScimQuirks.prefault({}),
});
export type ScimConfig = z.infer<typeof ScimConfig>;
export type ScimConfigInput = z.input<typeof ScimConfig>;

/** Parses a resolved config; throws one TerminalError listing every problem (no secret values in it). */
export function parseScimConfig(input: unknown): ScimConfig {
  const parsed = ScimConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new TerminalError(
    "InvalidConfiguration",
    `invalid SCIM target configuration: ${problems.join("; ")}`,
  );
}
