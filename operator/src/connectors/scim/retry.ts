/** Retry timing for the SCIM transport. Pure. */

/**
 * Milliseconds to wait from a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an
 * HTTP-date; undefined when absent or unreadable. Never negative.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-date forms all spell out the day or month; a bare number like "-5" is not a date.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with full jitter between half and all of base * 2^(attempt-1), capped. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
  capMs = 10_000,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Statuses worth another attempt: rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}
