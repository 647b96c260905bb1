import { pino, type DestinationStream, type Logger } from "pino";

/** Field names whose values are always replaced by "[redacted]" in logs, at any of the first depths. */
export const SECRET_FIELDS = [
  "password",
  "passwd",
  "token",
  "secret",
  "authorization",
  "Authorization",
  "bearerToken",
  "clientSecret",
  "apiKey",
  "privateKey",
  "unicodePwd",
];

/** pino redact paths for SECRET_FIELDS at depths 0..3 (pino wildcards match one level each). */
export function redactPaths(fields: readonly string[] = SECRET_FIELDS): string[] {
  const prefixes = ["", "*.", "*.*.", "*.*.*."];
  return prefixes.flatMap((prefix) => fields.map((field) => `${prefix}${field}`));
}

export interface LoggerOptions {
  level?: string;
  /** Extra base fields (e.g. { component: "roster" }). */
  base?: Record<string, unknown>;
  /** Where to write; default stdout. Tests pass a stream to inspect output. */
  destination?: DestinationStream;
}

/**
 * Makes the process logger: JSON lines, ISO timestamps, secrets redacted by field name. Pass it
 * down (no module-level logger); components derive children with `logger.child({...})`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
