/** The OpenLDAP connector pointed at a test slapd as its admin, people and groups under the harness's base. */
import type { LdapConnectorInput } from "../../operator/src/connectors/ldap/config.js";
import { createLdapConnector, type LdapConnector } from "../../operator/src/connectors/ldap/connector.js";
import type { SlapdServer } from "./slapd.js";

export function ldapConnectorFor(
  server: SlapdServer,
  overrides: Partial<LdapConnectorInput> = {},
): LdapConnector {
  return createLdapConnector({
    url: server.url,
    bindDN: server.adminDN,
    bindPassword: server.adminPassword,
    usersBaseDN: server.peopleDN,
    groupsBaseDN: server.groupsDN,
    ...overrides,
  });
}
