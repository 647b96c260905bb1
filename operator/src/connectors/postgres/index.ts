/** The PostgreSQL connector's public surface. */
export { PostgresConnector, type PostgresConnectorOptions } from "./connector.js";
export {
  PostgresConnectorConfig,
  parsePostgresConfig,
  type PostgresConnectorConfigInput,
  OwnedObjectsPolicy,
  PostgresTls,
} from "./config.js";
export type { BatchOutcome } from "./batch.js";
export { MARKER_PREFIX, parseRoleComment, formatRoleComment } from "./marker.js";
export { MAX_IDENTIFIER_BYTES } from "./sql.js";
