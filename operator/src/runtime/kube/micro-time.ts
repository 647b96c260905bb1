/** Formats an instant as metav1.MicroTime: RFC 3339 in UTC with exactly six fractional digits. */
export function toMicroTime(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Parses a MicroTime/Time string to epoch ms; undefined when absent or malformed. */
export function parseKubeTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
