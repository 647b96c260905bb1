/**
 * The systems Roster provisions in the playground, started with the test harnesses' own start-up
 * code (test/harness/*): OpenLDAP, PostgreSQL, the Better Auth SCIM app (on its own PostgreSQL)
 * and, on request, a Samba AD domain controller. Each started system is pushed onto the caller's
 * cleanup stack at once, so a failure half-way still stops what already runs. The directories
 * get the groups the playground's grants name (Roster adds members; it does not create groups).
 */
import type { Client } from "ldapts";
import { startPostgres, type PostgresServer } from "../../test/harness/postgres.js";
import { startSambaDc, withSambaAdmin, type SambaDc } from "../../test/harness/samba.js";
import { startBetterAuthScim, type ScimPeer } from "../../test/harness/scim.js";
import { startSlapd, withSlapdAdmin, type SlapdServer } from "../../test/harness/slapd.js";
import type { CleanupStack } from "./cleanup.js";

export interface TargetSystems {
  ldap: SlapdServer;
  postgres: PostgresServer;
  scim: ScimPeer;
  ad?: SambaDc;
}

/** Starts `start` and registers its stop on the stack as soon as it runs. */
async function started<T extends { stop(): Promise<void> }>(
  stack: CleanupStack,
  name: string,
  start: () => Promise<T>,
): Promise<T> {
  const system = await start();
  stack.push(`stop ${name}`, () => system.stop());
  return system;
}

export async function startTargetSystems(stack: CleanupStack, withAd: boolean): Promise<TargetSystems> {
  // Started side by side; allSettled so that every one that did start is registered before a failure is thrown.
  const results = await Promise.allSettled([
    started(stack, "OpenLDAP", () => startSlapd({ baseDN: "dc=roster,dc=test" })),
    started(stack, "PostgreSQL", () => startPostgres()),
    started(stack, "the SCIM app", () => startBetterAuthScim()),
  ] as const);
  const [ldap, postgres, scim] = results;
  if (ldap.status === "rejected") throw ldap.reason;
  if (postgres.status === "rejected") throw postgres.reason;
  if (scim.status === "rejected") throw scim.reason;
  // Samba serves the fixed ports 389/636 and is heavy: started alone, after the others.
  const ad = withAd ? await started(stack, "Samba AD", () => startSambaDc()) : undefined;
  return { ldap: ldap.value, postgres: postgres.value, scim: scim.value, ...(ad ? { ad } : {}) };
}

async function addLdapGroups(client: Client, groupsDN: string, roles: string[]): Promise<void> {
  // groupOfNames needs a member; an empty value is OpenLDAP's usual placeholder for an empty group.
  for (const cn of roles)
    await client.add(`cn=${cn},${groupsDN}`, { objectClass: ["groupOfNames"], cn, member: [""] });
}

export const AD_PEOPLE_OU = "people";
export const AD_GROUPS_OU = "groups";

/**
 * The OUs and groups of the AD Target. Each group starts with the domain administrator as a
 * member Roster does not manage: the AD connector's listing did not return for a group without
 * any member (seen with Samba 4.17), and real groups rarely start empty anyway.
 */
async function addAdTree(client: Client, ad: SambaDc, roles: string[]): Promise<void> {
  for (const ou of [AD_PEOPLE_OU, AD_GROUPS_OU]) {
    await client.add(`OU=${ou},${ad.baseDN}`, { objectClass: "organizationalUnit", ou });
  }
  for (const cn of roles) {
    await client.add(`CN=${cn},OU=${AD_GROUPS_OU},${ad.baseDN}`, {
      objectClass: "group",
      sAMAccountName: cn,
      member: ad.adminDN,
    });
  }
}

/** Creates the directory groups (and for AD the OUs) that the grants of each directory Target name. */
export async function seedDirectories(
  systems: TargetSystems,
  roles: { ldap: string[]; ad: string[] },
): Promise<void> {
  await withSlapdAdmin(systems.ldap, (client) => addLdapGroups(client, systems.ldap.groupsDN, roles.ldap));
  const ad = systems.ad;
  if (ad) await withSambaAdmin(ad, (client) => addAdTree(client, ad, roles.ad));
}

/** The values manifests/playground/targets/*.yaml are filled with. */
export function templateValues(systems: TargetSystems): Record<string, string> {
  const { ldap, postgres, scim, ad } = systems;
  return {
    LDAP_URL: ldap.url,
    LDAP_BIND_DN: ldap.adminDN,
    LDAP_PASSWORD: ldap.adminPassword,
    LDAP_PEOPLE_DN: ldap.peopleDN,
    LDAP_GROUPS_DN: ldap.groupsDN,
    PG_HOST: postgres.host,
    PG_PORT: String(postgres.port),
    PG_USER: postgres.user,
    PG_PASSWORD: postgres.password,
    SCIM_URL: scim.baseURL,
    SCIM_TOKEN: scim.token,
    ...(ad
      ? {
          AD_URL: ad.url,
          AD_BIND_DN: ad.adminDN,
          AD_PASSWORD: ad.adminPassword,
          AD_PEOPLE_DN: `OU=${AD_PEOPLE_OU},${ad.baseDN}`,
          AD_GROUPS_DN: `OU=${AD_GROUPS_OU},${ad.baseDN}`,
        }
      : {}),
  };
}

/**
 * A shell file for the walkthrough's commands: KUBECONFIG; LDAPURI / LDAPBINDDN / LDAPBASE (read
 * by ldapsearch) and LDAP_PASSWORD; the libpq PG* variables psql reads; SCIM_URL / SCIM_TOKEN and
 * a `scim PATH` function (curl with the token); AD_* and LDAPTLS_REQCERT=never with --with-ad.
 */
export function environmentScript(systems: TargetSystems, kubeconfigPath: string): string {
  const v = templateValues(systems);
  const lines = [
    `export KUBECONFIG='${kubeconfigPath}'`,
    `export LDAPURI='${v.LDAP_URL}' LDAPBINDDN='${v.LDAP_BIND_DN}' LDAPBASE='${systems.ldap.baseDN}' LDAP_PASSWORD='${v.LDAP_PASSWORD}'`,
    `export PGHOST='${v.PG_HOST}' PGPORT='${v.PG_PORT}' PGUSER='${v.PG_USER}' PGPASSWORD='${v.PG_PASSWORD}' PGDATABASE=postgres`,
    `export SCIM_URL='${v.SCIM_URL}' SCIM_TOKEN='${v.SCIM_TOKEN}'`,
    `scim() { curl -s -H "Authorization: Bearer $SCIM_TOKEN" "$SCIM_URL$1"; }`,
  ];
  if (systems.ad) {
    lines.push(
      `export AD_URL='${v.AD_URL}' AD_BIND_DN='${v.AD_BIND_DN}' AD_PASSWORD='${v.AD_PASSWORD}' AD_PEOPLE_DN='${v.AD_PEOPLE_DN}'`,
      "export LDAPTLS_REQCERT=never # Samba's certificate is self-signed",
    );
  }
  return `# Written by the Roster playground at every start (ports and passwords change): source it.\n${lines.join("\n")}\n`;
}
