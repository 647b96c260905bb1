import { parsePostgresConfig } from "../../../../operator/src/connectors/postgres/config.js";
import { TerminalError } from "../../../../operator/src/errors.js";

describe("PostgreSQL connector configuration", () => {
  it("applies safe defaults", () => {
    expect(parsePostgresConfig({ host: "db", user: "roster", password: "s3cret" })).toMatchObject({
      port: 5432,
      database: "postgres",
      ssl: false,
      poolSize: 4,
      createRoles: false,
      ownedObjects: { policy: "refuse" },
      terminateSessions: true,
      markerLocation: "comment",
    });
  });

  it("accepts a reassign policy and verified TLS", () => {
    const config = parsePostgresConfig({
      host: "db",
      user: "roster",
      password: "x",
      ssl: { ca: "PEM" },
      ownedObjects: { policy: "reassign", to: "archive" },
    });
    expect(config.ssl).toEqual({ ca: "PEM", rejectUnauthorized: true });
    expect(config.ownedObjects).toEqual({ policy: "reassign", to: "archive" });
  });

  it("lists every problem in one TerminalError without echoing the password", () => {
    let error: unknown;
    try {
      parsePostgresConfig({
        host: "",
        port: 70000,
        user: "roster",
        password: 12345678,
        ownedObjects: { policy: "reassign" },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TerminalError);
    const message = (error as Error).message;
    for (const field of ["host", "port", "password", "ownedObjects.to"]) expect(message).toContain(field);
    expect(message).not.toContain("12345678");
  });
});
