// Many callers, one statement: items added while a batch is being written wait for the next batch.
// The first item goes at once, so a lone caller waits for nothing but its own statement.
export class Coalescer<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    const result = new Promise<R>((resolve, reject) => this.pending.push({ item, resolve, reject }));
    this.flushing ??= this.flush();
    return result;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.run(batch.map((b) => b.item));
          for (const [i, b] of batch.entries()) b.resolve(results[i]);
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      // In the same step as the last look at `pending`: an item added later starts a new flush.
      this.flushing = undefined;
    }
  }
}
