/** The Kubernetes API group and version of every Roster kind. */
export const GROUP = "roster.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Label on Users carrying HR attributes that grants select on (e.g. `roster.dev/department: sales`). */
export const DEPARTMENT_LABEL = `${GROUP}/department`;
