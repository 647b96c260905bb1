/** The Kubernetes API group and version of every Roster kind. */
export const GROUP = "roster.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
