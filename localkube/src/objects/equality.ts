/** Structural equality of JSON values, independent of object key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

/** Equal apart from metadata (used for generation bumps). */
export function sameOutsideMetadata(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  ignore: string[],
): boolean {
  const strip = (o: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...o };
    for (const k of ["metadata", "apiVersion", "kind", ...ignore]) delete out[k];
    return out;
  };
  return deepEqual(strip(a), strip(b));
}
