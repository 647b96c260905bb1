/**
 * Settings for the Active Directory connector against a test Samba DC as its administrator (the
 * DC's self-signed certificate is not verified), people and groups under the OUs a test made.
 */
import type { ActiveDirectoryConnectorInput } from "../../operator/src/connectors/active-directory/config.js";
import type { SambaDc } from "./samba.js";

export function adConnectorInput(
  dc: SambaDc,
  bases: { usersBaseDN: string; groupsBaseDN: string },
  overrides: Partial<ActiveDirectoryConnectorInput> = {},
): ActiveDirectoryConnectorInput {
  return {
    url: dc.url,
    tls: { insecureSkipVerify: true },
    bindDN: dc.adminDN,
    bindPassword: dc.adminPassword,
    ...bases,
    ...overrides,
  };
}
