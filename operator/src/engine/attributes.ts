import type { AttributeValue } from "./connector.js";
import type { TargetView, UserView } from "./model.js";

type UserField = keyof UserView["spec"];

/**
 * Default attribute mapping per target type: target attribute name -> User spec field. A Target's
 * `attributeMapping` replaces these. Attribute names are the connector's own (LDAP attribute
 * types, the SCIM connector's attribute names, nothing for PostgreSQL roles).
 */
export const DEFAULT_ATTRIBUTE_MAPPINGS: Record<TargetView["type"], Record<string, UserField>> = {
  ldap: {
    cn: "displayName",
    displayName: "displayName",
    givenName: "givenName",
    sn: "familyName",
    mail: "email",
    employeeNumber: "employeeId",
    departmentNumber: "department",
    title: "title",
  },
  activeDirectory: {
    displayName: "displayName",
    givenName: "givenName",
    sn: "familyName",
    mail: "email",
    employeeID: "employeeId",
    department: "department",
    title: "title",
  },
  scim: {
    displayName: "displayName",
    givenName: "givenName",
    familyName: "familyName",
    email: "email",
    employeeNumber: "employeeId",
    department: "department",
    title: "title",
  },
  postgres: {},
};

/** The target attributes for a user; fields the user leaves empty are omitted. */
export function mapAttributes(target: TargetView, user: UserView): Record<string, AttributeValue> {
  const mapping = target.attributeMapping ?? DEFAULT_ATTRIBUTE_MAPPINGS[target.type];
  const out: Record<string, AttributeValue> = {};
  for (const [attribute, field] of Object.entries(mapping)) {
    const value = user.spec[field];
    if (typeof value === "string" && value.length > 0) out[attribute] = value;
  }
  return out;
}
