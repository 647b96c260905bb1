import type { Logger } from "pino";
import type { Target } from "../../api/index.js";
import { createActiveDirectoryConnector } from "../../connectors/active-directory/connector.js";
import { createLdapConnector } from "../../connectors/ldap/connector.js";
import { PostgresConnector } from "../../connectors/postgres/index.js";
import { createScimConnector } from "../../connectors/scim/index.js";
import type { Connector } from "../../engine/connector.js";
import { TerminalError } from "../../errors.js";
import type { KubeClient, KubeObject } from "../../runtime/index.js";
import type { ConnectorBuilder } from "../connector-pool.js";
import { SecretReader } from "./secrets.js";

type Spec = Target["spec"];
type Tls =
  | { caSecretRef?: { name: string; key: string }; insecureSkipVerify?: boolean; serverName?: string }
  | undefined;

/**
 * Builds a connector from a Target: turns the API's connection section into the connector's
 * resolved configuration, reading credentials from Secrets in the Target's namespace. The
 * fingerprint (generation + Secret versions) tells the pool when to rebuild.
 */
export function connectorBuilder(client: KubeClient, logger: Logger): ConnectorBuilder {
  return async (obj: KubeObject) => {
    const target = obj as unknown as Target;
    const secrets = new SecretReader(client, target.metadata.namespace ?? "");
    const log = logger.child({ target: `${target.metadata.namespace}/${target.metadata.name}` });
    const connector = await build(target.spec, secrets, log);
    return { connector, fingerprint: `${target.metadata.generation ?? 0}|${secrets.fingerprint()}` };
  };
}

/** How long a Target's Secret versions are trusted before they are read again. */
const SECRET_RECHECK_MS = 60_000;

/**
 * The fingerprint a Target would build with, without building: its generation plus the versions
 * of the Secrets it reads, re-read at most once a minute so a reconcile costs no extra requests.
 */
export function connectorFingerprint(
  client: KubeClient,
  now: () => number,
): (obj: KubeObject) => Promise<string> {
  const cache = new Map<string, { at: number; generation: number; secrets: string }>();
  return async (obj: KubeObject) => {
    const target = obj as unknown as Target;
    const key = `${target.metadata.namespace}/${target.metadata.name}`;
    const generation = target.metadata.generation ?? 0;
    const cached = cache.get(key);
    if (cached && cached.generation === generation && now() - cached.at < SECRET_RECHECK_MS) {
      return `${generation}|${cached.secrets}`;
    }
    const secrets = new SecretReader(client, target.metadata.namespace ?? "");
    for (const ref of secretRefs(target.spec)) await secrets.value(ref).catch(() => undefined);
    cache.set(key, { at: now(), generation, secrets: secrets.fingerprint() });
    return `${generation}|${secrets.fingerprint()}`;
  };
}

async function build(spec: Spec, secrets: SecretReader, logger: Logger): Promise<Connector> {
  if (spec.ldap) {
    const ldap = spec.ldap;
    const disable =
      ldap.disable?.method === "Attribute" && ldap.disable.attribute
        ? { method: "Attribute" as const, attribute: ldap.disable.attribute }
        : { method: "PasswordPolicyLock" as const };
    return createLdapConnector(
      {
        url: ldap.url,
        startTLS: ldap.startTLS ?? false,
        tls: await tls(ldap.tls, secrets),
        bindDN: ldap.bindDN,
        bindPassword: await secrets.value(ldap.credentialsSecretRef),
        usersBaseDN: ldap.usersBaseDN,
        groupsBaseDN: ldap.groupsBaseDN,
        rdnAttribute: ldap.rdnAttribute,
        objectClasses: ldap.objectClasses,
        groupObjectClass: ldap.groupObjectClass,
        ownerAttribute: ldap.ownerAttribute,
        pageSize: ldap.pageSize,
        disable,
        ...(ldap.posix?.enabled
          ? {
              posix: {
                firstUidNumber: ldap.posix.uidNumberStart,
                gidNumber: ldap.posix.gidNumber,
                ...(ldap.posix.homeDirectory ? { homeDirectory: ldap.posix.homeDirectory } : {}),
                ...(ldap.posix.loginShell ? { loginShell: ldap.posix.loginShell } : {}),
              },
            }
          : {}),
      },
      logger,
    );
  }
  if (spec.activeDirectory) {
    const ad = spec.activeDirectory;
    return createActiveDirectoryConnector(
      {
        url: ad.url,
        startTLS: ad.startTLS ?? false,
        tls: await tls(ad.tls, secrets),
        bindDN: ad.bindDN,
        bindPassword: await secrets.value(ad.credentialsSecretRef),
        usersBaseDN: ad.usersBaseDN,
        groupsBaseDN: ad.groupsBaseDN,
        ...(ad.upnSuffix ? { upnSuffix: ad.upnSuffix } : {}),
        ownerAttribute: ad.ownerAttribute,
        pageSize: ad.pageSize,
      },
      logger,
    );
  }
  if (spec.scim) return buildScim(spec.scim, secrets, logger);
  if (spec.postgres) return buildPostgres(spec.postgres, secrets, logger);
  throw new TerminalError(
    "InvalidSpec",
    "the Target names no system: set one of ldap, activeDirectory, scim, postgres",
  );
}

async function tls(config: Tls, secrets: SecretReader) {
  const ca = await secrets.optional(config?.caSecretRef);
  return { insecureSkipVerify: config?.insecureSkipVerify ?? false, ...(ca ? { ca } : {}) };
}

/** TLS for HTTPS connectors: the CA and verification settings plus the expected server name. */
async function httpsTls(config: Tls, secrets: SecretReader) {
  return {
    ...(await tls(config, secrets)),
    ...(config?.serverName ? { serverName: config.serverName } : {}),
  };
}

async function buildScim(scim: NonNullable<Spec["scim"]>, secrets: SecretReader, logger: Logger) {
  const auth = scim.auth.bearer
    ? { type: "bearer" as const, token: await secrets.value(scim.auth.bearer.secretRef) }
    : {
        type: "oauth2" as const,
        tokenURL: scim.auth.oauth2ClientCredentials?.tokenURL ?? "",
        clientId: scim.auth.oauth2ClientCredentials?.clientID ?? "",
        clientSecret: await secrets.value(
          scim.auth.oauth2ClientCredentials?.clientSecretRef ?? { name: "", key: "" },
        ),
        scopes: scim.auth.oauth2ClientCredentials?.scopes ?? [],
      };
  return createScimConnector(
    {
      baseURL: scim.baseURL,
      auth,
      ...(scim.tls ? { tls: await httpsTls(scim.tls, secrets) } : {}),
      createGroups: scim.createGroups,
      ...(scim.requestTimeoutSeconds ? { timeouts: { requestMs: scim.requestTimeoutSeconds * 1000 } } : {}),
      pageSize: scim.pageSize,
    },
    { logger },
  );
}

async function buildPostgres(pg: NonNullable<Spec["postgres"]>, secrets: SecretReader, logger: Logger) {
  const ref = pg.credentialsSecretRef;
  const ca = await secrets.optional(pg.caSecretRef);
  const ssl =
    pg.sslMode === "disable" || pg.sslMode === "allow" || pg.sslMode === "prefer"
      ? (false as const)
      : { rejectUnauthorized: pg.sslMode !== "require", ...(ca ? { ca } : {}) };
  return new PostgresConnector(
    {
      host: pg.host,
      port: pg.port,
      database: pg.database,
      user: await secrets.value({ name: ref.name, key: ref.usernameKey }),
      password: await secrets.value({ name: ref.name, key: ref.passwordKey }),
      ssl,
      ...(pg.login?.connectionLimit !== undefined && pg.login.connectionLimit >= 0
        ? { connectionLimit: pg.login.connectionLimit }
        : {}),
      createRoles: pg.createRoles,
      terminateSessions: pg.terminateSessions,
      ownedObjects: pg.reassignOwnedTo
        ? { policy: "reassign", to: pg.reassignOwnedTo }
        : { policy: "refuse" },
    },
    { logger },
  );
}

/** Every Secret a Target's connection reads. */
function secretRefs(spec: Spec): Array<{ name: string; key: string }> {
  const refs: Array<{ name: string; key: string } | undefined> = [
    spec.ldap?.credentialsSecretRef,
    spec.ldap?.tls?.caSecretRef,
    spec.activeDirectory?.credentialsSecretRef,
    spec.activeDirectory?.tls?.caSecretRef,
    spec.scim?.auth.bearer?.secretRef,
    spec.scim?.tls?.caSecretRef,
    spec.scim?.auth.oauth2ClientCredentials?.clientSecretRef,
    spec.postgres?.caSecretRef,
    spec.postgres
      ? { name: spec.postgres.credentialsSecretRef.name, key: spec.postgres.credentialsSecretRef.passwordKey }
      : undefined,
  ];
  return refs.filter((r): r is { name: string; key: string } => r !== undefined);
}
