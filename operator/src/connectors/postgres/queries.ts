/**
 * Catalog queries of the PostgreSQL connector, all parameterised ($n), and the mapping of their
 * rows to the connector contract's ObservedAccount. Pure: the text and the mapping, no I/O.
 *
 * "Roster's memberships" are the pg_auth_members rows whose grantor is the connector's own login
 * role (session_user): PostgreSQL 15 records the grantor of every GRANT. Memberships granted by
 * anyone else are not reported and never revoked.
 */
import type { ObservedAccount } from "../../engine/connector.js";
import { observedAttributes, type RoleRow } from "./attributes.js";
import { MARKER_PREFIX, parseRoleComment } from "./marker.js";

/**
 * All roles in scope with their properties, comment and Roster-granted memberships, in one query.
 * $1: the role names to read (any role of that name, in scope or not), or NULL for the whole scope:
 *     every role carrying Roster's comment prefix plus every other login role that is not a
 *     superuser, a system role or the connector itself (reported as unowned, so that adopt rules
 *     can match them).
 * $2: the managed role names to report memberships of, or NULL for all of Roster's grants.
 * Names are compared as text (hashed ANY), never cast to `name`, which would truncate a name past
 * 63 bytes into another role's; memberships are looked up per role through pg_auth_members' index,
 * so reading a few roles does not aggregate every membership of the cluster.
 */
export const LIST_ROLES_SQL = `
SELECT r.rolname::text AS name,
       r.rolcanlogin AS can_login,
       r.rolconnlimit AS connection_limit,
       CASE WHEN r.rolvaliduntil IS NULL THEN NULL
            WHEN isfinite(r.rolvaliduntil)
              THEN to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            ELSE 'infinity' END AS valid_until,
       d.description AS comment,
       ARRAY(
         SELECT g.rolname::text
         FROM pg_auth_members am
         JOIN pg_roles g ON g.oid = am.roleid
         WHERE am.member = r.oid
           AND am.grantor = (SELECT oid FROM pg_roles WHERE rolname = session_user)
           AND ($2::text[] IS NULL OR g.rolname::text = ANY ($2::text[]))
         ORDER BY g.rolname
       ) AS roles
FROM pg_roles r
LEFT JOIN pg_shdescription d ON d.objoid = r.oid AND d.classoid = 'pg_authid'::regclass
WHERE CASE WHEN $1::text[] IS NULL
        THEN starts_with(d.description, '${MARKER_PREFIX}')
             OR (r.rolcanlogin AND NOT r.rolsuper AND r.rolname !~ '^pg_' AND r.rolname <> session_user)
        ELSE r.rolname::text = ANY ($1::text[]) END
ORDER BY r.rolname`;

/** Every membership of the roles named in $1 (any grantor), with whether Roster granted it. */
export const MEMBERSHIPS_SQL = `
SELECT u.rolname::text AS member,
       g.rolname::text AS role,
       am.grantor = (SELECT oid FROM pg_roles WHERE rolname = session_user) AS ours
FROM pg_auth_members am
JOIN pg_roles g ON g.oid = am.roleid
JOIN pg_roles u ON u.oid = am.member
WHERE u.rolname::text = ANY ($1::text[])`;

/** Which of the role names $1 exist. */
export const EXISTING_ROLES_SQL = `SELECT rolname::text AS name FROM pg_roles WHERE rolname::text = ANY ($1::text[])`;

/**
 * Signals (SIGTERM, no wait) every session of the roles named in $1 but the caller's own; one row
 * per session, with its role and backend pid. pg_terminate_backend stays in the select list: only
 * rows that passed the WHERE clause reach it (as a qual it could be pushed below the join and
 * signal other roles' sessions).
 */
export const TERMINATE_SESSIONS_SQL = `
SELECT r.rolname::text AS name, a.pid, pg_terminate_backend(a.pid) AS signalled
FROM pg_stat_activity a
JOIN pg_roles r ON r.oid = a.usesysid
WHERE r.rolname::text = ANY ($1::text[])
  AND a.pid <> pg_backend_pid()`;

/** Which of the backend pids $1 are still running. */
export const LIVE_BACKENDS_SQL = `SELECT pid FROM pg_stat_activity WHERE pid = ANY ($1::int[])`;

/**
 * Where role $1 has dependencies (owned objects, privileges, policies), per database;
 * `database` is NULL for shared objects (databases, tablespaces), `owns` counts owned objects.
 */
export const ROLE_DEPENDENCIES_SQL = `
SELECT db.datname::text AS database, db.datallowconn AS allow_connections,
       count(*) FILTER (WHERE s.deptype = 'o')::int AS owns,
       count(*)::int AS total
FROM pg_shdepend s
LEFT JOIN pg_database db ON db.oid = s.dbid
WHERE s.refclassid = 'pg_authid'::regclass
  AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1::text)
GROUP BY db.datname, db.datallowconn
ORDER BY db.datname NULLS FIRST`;

/** The connector's own privileges, for check(). */
export const ADMIN_PRIVILEGES_SQL = `
SELECT rolsuper AS superuser, rolcreaterole AS create_role,
       pg_has_role(session_user, 'pg_signal_backend', 'USAGE') AS signal_backend
FROM pg_roles WHERE rolname = session_user`;

export interface RawRoleRow {
  name: string;
  can_login: boolean;
  connection_limit: number;
  valid_until: string | null;
  comment: string | null;
  roles: string[];
}

export function toRoleRow(raw: RawRoleRow): RoleRow {
  return {
    name: raw.name,
    canLogin: raw.can_login,
    connectionLimit: raw.connection_limit,
    validUntil: raw.valid_until,
    comment: raw.comment,
    roles: raw.roles,
  };
}

/** A role as the connector contract reports it: the role name is both `id` and `username`. */
export function toObservedAccount(row: RoleRow): ObservedAccount {
  const comment = parseRoleComment(row.comment);
  return {
    id: row.name,
    username: row.name,
    owner: comment.owner,
    enabled: row.canLogin,
    attributes: observedAttributes(row, comment.attributes),
    roles: [...row.roles],
  };
}
