/**
 * Splitting work into request-sized chunks and running asynchronous work with bounded
 * concurrency: the one implementation every bulk path (executor, reads, connectors) uses.
 */

/** `items` in consecutive slices of at most `size` (size >= 1); [] for no items. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += step) chunks.push(items.slice(start, start + step));
  return chunks;
}

/**
 * Maps every item through `fn` with at most `concurrency` calls in flight; results in input
 * order. Rejects with the first failure (callers that need per-item outcomes catch inside `fn`).
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
