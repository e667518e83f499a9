// A keyset walk in batches, several at once. Each batch is a transaction that first locks its rows
// and says where it ends; the next batch starts from there while this one works. With the engine's
// work in this process and the writes in Postgres, two batches in flight keep both busy.

/**
 * Runs `batch` from `start` until a batch claims nothing more (`claimed(null)`), with up to
 * `concurrency` batches in flight. The first failure stops the walk and is thrown once the
 * batches in flight have finished.
 */
export async function walkInBatches<Cursor>(
  start: Cursor,
  concurrency: number,
  batch: (after: Cursor, claimed: (next: Cursor | null) => void) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let after: Cursor | null = start;
  while (after !== null && !failure && !signal?.aborted) {
    if (running.size >= Math.max(1, concurrency)) {
      await Promise.race(running);
      continue;
    }
    const claim = Promise.withResolvers<Cursor | null>();
    const work: Promise<void> = batch(after, claim.resolve)
      .catch((error) => {
        failure ??= { error };
      })
      .finally(() => {
        // A batch that failed before it claimed anything ends the walk.
        claim.resolve(null);
        running.delete(work);
      });
    running.add(work);
    after = await claim.promise;
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}
