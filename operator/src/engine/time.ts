/**
 * Instants and durations. Every time-based decision takes `now` as an argument (epoch ms) so the
 * engine stays pure and testable; callers schedule a delayed queue entry at `nextTransition`.
 */

/** Parses an RFC 3339 timestamp or a date (YYYY-MM-DD, taken as 00:00 UTC); undefined when absent. */
export function instant(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`invalid timestamp ${JSON.stringify(value)}`);
  return ms;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a Go-style duration ("90m", "1h30m", "2h", "1.5h", "7d") into milliseconds. */
export function parseDuration(value: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (value.length === 0 || consumed !== value.length) {
    throw new Error(
      `invalid duration ${JSON.stringify(value)}: use units ms, s, m, h, d as in "2h" or "1h30m"`,
    );
  }
  return total;
}

/** The earliest of the instants that lie strictly after `now`, or undefined. */
export function nextAfter(now: number, ...instants: Array<number | undefined>): number | undefined {
  let best: number | undefined;
  for (const t of instants) {
    if (t !== undefined && t > now && (best === undefined || t < best)) best = t;
  }
  return best;
}
