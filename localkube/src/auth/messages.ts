// Kubernetes' text for a denied request, as the API server writes it into the 403 Status:
//   <resource>[.<group>] ["<name>"] is forbidden: User "<user>" cannot <verb> resource "<res>[/<sub>]"
//     in API group "<group>" (in the namespace "<ns>" | at the cluster scope)[: <reason>]
// and for non-resource URLs: forbidden: User "<user>" cannot <verb> path "<url>"[: <reason>]
import { isResourceRequest, type Attributes, type Subject } from "./types.js";

/** The inner sentence (authorizer message), without the `... is forbidden: ` prefix. */
export function forbiddenDetail(subject: Subject, attributes: Attributes): string {
  const user = JSON.stringify(subject.user);
  if (!isResourceRequest(attributes)) {
    return `User ${user} cannot ${attributes.verb} path ${JSON.stringify(attributes.nonResourceURL)}`;
  }
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  const scope = attributes.namespace
    ? `in the namespace ${JSON.stringify(attributes.namespace)}`
    : "at the cluster scope";
  return `User ${user} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup)} ${scope}`;
}

/** The `resource.group` string Kubernetes prints for a group resource (core group: no suffix). */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/**
 * The full message of the 403 Status (the `message` field), e.g.
 * `users.roster.dev is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "users" in API group "roster.dev" at the cluster scope`.
 * `reason` is the authorizer's reason for the denial (usually empty); Kubernetes appends it after ": ".
 */
export function forbiddenMessage(subject: Subject, attributes: Attributes, reason = ""): string {
  const detail = forbiddenDetail(subject, attributes) + (reason ? `: ${reason}` : "");
  if (!isResourceRequest(attributes)) return `forbidden: ${detail}`;
  const gr = qualifiedResource(attributes.resource, attributes.apiGroup);
  return attributes.name
    ? `${gr} ${JSON.stringify(attributes.name)} is forbidden: ${detail}`
    : `${gr} is forbidden: ${detail}`;
}

/** `details` of the 403 Status: group, kind (the plural resource) and name, as Kubernetes fills them. */
export function forbiddenDetails(attributes: Attributes): { group?: string; kind?: string; name?: string } {
  if (!isResourceRequest(attributes)) return {};
  const details: { group?: string; kind?: string; name?: string } = { kind: attributes.resource };
  if (attributes.apiGroup) details.group = attributes.apiGroup;
  if (attributes.name) details.name = attributes.name;
  return details;
}
