/**
 * Discovery (RFC 7644 §4): what the provider says it supports, read once per connector from
 * /ServiceProviderConfig and /ResourceTypes, so the connector adapts instead of assuming.
 * The parsing is pure and lenient (string booleans, missing sections mean "not supported").
 */
import { TerminalError } from "../../errors.js";
import { ENTERPRISE_SCHEMA } from "./mapping.js";
import { listPage, scimBoolean } from "./quirks.js";
import type { ScimTransport } from "./transport.js";

export interface ScimCapabilities {
  patch: boolean;
  filter: boolean;
  /** The most resources the provider returns per page, when it says. */
  maxResults: number | undefined;
  etag: boolean;
  bulk: boolean;
  /** Whether a Group resource type exists (roles need it). */
  groups: boolean;
  /** Whether the User resource type declares the enterprise extension. */
  enterpriseUser: boolean;
}

type Json = Record<string, unknown>;
const record = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
const supported = (section: unknown): boolean => scimBoolean(record(section).supported) ?? false;

/** Capabilities from a ServiceProviderConfig body and the ResourceTypes list. */
export function capabilitiesFrom(serviceProviderConfig: unknown, resourceTypes: Json[]): ScimCapabilities {
  const config = record(serviceProviderConfig);
  const maxResults = Number(record(config.filter).maxResults);
  const user = resourceTypes.find((t) => t.name === "User" || t.endpoint === "/Users");
  const extensions = Array.isArray(user?.schemaExtensions) ? user.schemaExtensions.map(record) : [];
  return {
    patch: supported(config.patch),
    filter: supported(config.filter),
    maxResults: Number.isInteger(maxResults) && maxResults > 0 ? maxResults : undefined,
    etag: supported(config.etag),
    bulk: supported(config.bulk),
    groups: resourceTypes.some((t) => t.name === "Group" || t.endpoint === "/Groups"),
    enterpriseUser: extensions.some((e) => e.schema === ENTERPRISE_SCHEMA),
  };
}

/** Reads the provider's capabilities. A provider without a ServiceProviderConfig is not SCIM 2.0. */
export async function discover(transport: ScimTransport, signal?: AbortSignal): Promise<ScimCapabilities> {
  const config = await transport.request("GET", "/ServiceProviderConfig", { signal });
  if (
    typeof config.body !== "object" ||
    config.body === null ||
    !("schemas" in config.body || "patch" in config.body)
  )
    throw new TerminalError(
      "MalformedResponse",
      "SCIM GET /ServiceProviderConfig did not return a ServiceProviderConfig",
    );
  const types = await transport.request("GET", "/ResourceTypes", { signal, expect: [404] });
  // RFC 7644 §4 makes /ResourceTypes mandatory; a provider lacking it is read as Users only.
  const page =
    types.status === 404 ? { resources: [{ name: "User", endpoint: "/Users" }] } : listPage(types.body);
  if (!page)
    throw new TerminalError("MalformedResponse", "SCIM GET /ResourceTypes did not return a ListResponse");
  return capabilitiesFrom(config.body, page.resources);
}
