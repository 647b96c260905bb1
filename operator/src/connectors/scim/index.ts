/** The SCIM 2.0 connector's public surface. */
export {
  ScimConfig,
  ScimAuth,
  ScimQuirks,
  ScimTls,
  parseScimConfig,
  type ScimConfigInput,
} from "./config.js";
export { ScimConnector, type ScimConnectorOptions } from "./connector.js";
export type { ScimCapabilities } from "./discovery.js";
export { SCIM_ATTRIBUTE_NAMES } from "./mapping.js";

import { parseScimConfig } from "./config.js";
import { ScimConnector, type ScimConnectorOptions } from "./connector.js";

/** Builds a SCIM connector from a resolved (secrets already read) Target configuration. */
export function createScimConnector(config: unknown, options: ScimConnectorOptions = {}): ScimConnector {
  return new ScimConnector(parseScimConfig(config), options);
}
