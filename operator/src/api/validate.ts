import { z } from "zod";
import { AccessGrant } from "./access-grant.js";
import { Target } from "./target.js";
import { User } from "./user.js";

/** Any Roster object, told apart by `kind`. */
export const RosterObject = z.discriminatedUnion("kind", [User, AccessGrant, Target]);
export type RosterObject = z.infer<typeof RosterObject>;

/** A field path in Kubernetes' notation: `spec.subjects.users[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out;
}

function join(path: string, key: string): string {
  return path.length === 0 ? key : `${path}.${key}`;
}

/**
 * One line per problem, each starting with the field path ("spec.state: Invalid option: ...").
 * Unknown fields are reported at their own path.
 */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => `${join(path, key)}: unknown field`);
    return [`${path.length > 0 ? path : "(root)"}: ${issue.message}`];
  });
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Parses a User, AccessGrant or Target manifest, listing every problem with its field path. */
export function parseRosterObject(value: unknown): ParseResult<RosterObject> {
  const result = RosterObject.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: describeIssues(result.error) };
}
