import { classifyPostgresError, sqlState } from "../../../../operator/src/connectors/postgres/errors.js";
import { ConflictError, TerminalError, TransientError } from "../../../../operator/src/errors.js";

/** An error shaped like the pg driver's DatabaseError or a Node socket error. */
function failure(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe("PostgreSQL error classification", () => {
  it.each([
    [
      "connection refused",
      failure("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      TransientError,
      "ConnectionFailed",
    ],
    [
      "admin shutdown",
      failure("terminating connection due to administrator command", "57P01"),
      TransientError,
      "ServerShuttingDown",
    ],
    [
      "the server starting up",
      failure("the database system is starting up", "57P03"),
      TransientError,
      "ServerUnavailable",
    ],
    [
      "too many connections",
      failure("sorry, too many clients already", "53300"),
      TransientError,
      "TooManyConnections",
    ],
    [
      "a statement timeout",
      failure("canceling statement due to statement timeout", "57014"),
      TransientError,
      "StatementTimeout",
    ],
    ["a lost connection", failure("Connection terminated unexpectedly"), TransientError, "ConnectionFailed"],
    [
      "a pool connect timeout",
      failure("timeout exceeded when trying to connect"),
      TransientError,
      "ConnectionFailed",
    ],
    [
      "another connection-class SQLSTATE",
      failure("connection failure", "08006"),
      TransientError,
      "ConnectionFailed",
    ],
    [
      "a wrong admin password",
      failure('password authentication failed for user "roster"', "28P01"),
      TerminalError,
      "AuthenticationFailed",
    ],
    [
      "permission denied",
      failure("permission denied to create role", "42501"),
      TerminalError,
      "PermissionDenied",
    ],
    ["a missing role", failure('role "x" does not exist', "42704"), TerminalError, "RoleNotFound"],
    ["an existing role", failure('role "x" already exists', "42710"), ConflictError, "RoleExists"],
    [
      "an untrusted certificate",
      failure("self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT"),
      TerminalError,
      "TlsFailed",
    ],
    ["an unknown failure", failure("something odd"), TransientError, "Unexpected"],
  ])("classifies %s", (_reason, err, type, reason) => {
    const classified = classifyPostgresError('postgres create of role "ada" failed', err);
    expect(classified).toBeInstanceOf(type);
    expect(classified.reason).toBe(reason);
    expect(classified.message).toMatch(/^postgres create of role "ada" failed: /);
    expect(classified.cause).toBe(err);
  });

  it("names the needed privilege when permission is denied", () => {
    const classified = classifyPostgresError(
      'postgres create of role "ada" failed',
      failure("permission denied to create role", "42501"),
      {
        privilege: "CREATEROLE",
      },
    );
    expect(classified.message).toBe(
      'postgres create of role "ada" failed: permission denied to create role (the admin role needs CREATEROLE)',
    );
  });

  it("keeps the class and reason of Roster's own errors, adding context", () => {
    const own = new ConflictError("NotOwned", "role has no marker");
    const classified = classifyPostgresError("postgres update failed", own);
    expect(classified).toBeInstanceOf(ConflictError);
    expect(classified.reason).toBe("NotOwned");
  });

  it("reads SQLSTATEs and ignores socket codes", () => {
    expect(sqlState(failure("x", "42501"))).toBe("42501");
    expect(sqlState(failure("x", "ECONNREFUSED"))).toBeUndefined();
    expect(sqlState("not an error")).toBeUndefined();
  });
});
