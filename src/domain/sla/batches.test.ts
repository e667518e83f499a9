// The batch walk the SLA jobs share: in order, never more batches in flight than asked for, and a
// failure stops the walk and reaches the caller once the batches in flight have finished.
import { describe, expect, test } from "bun:test";
import { walkInBatches } from "./batches";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("walking in batches", () => {
  test("each batch starts where the one before claimed to end, with at most `concurrency` in flight", async () => {
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    await walkInBatches(0, 2, async (after, claimed) => {
      started.push(after);
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      claimed(after < 9 ? after + 1 : null);
      await tick();
      await tick();
      inFlight--;
    });
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(2);
    expect(inFlight).toBe(0);
  });

  test("one at a time when asked", async () => {
    let inFlight = 0;
    let most = 0;
    await walkInBatches(0, 1, async (after, claimed) => {
      inFlight++;
      most = Math.max(most, inFlight);
      claimed(after < 4 ? after + 1 : null);
      await tick();
      inFlight--;
    });
    expect(most).toBe(1);
  });

  test("a failure stops the walk and is thrown after the batch in flight finishes", async () => {
    const finished: number[] = [];
    const walk = walkInBatches(0, 2, async (after, claimed) => {
      claimed(after + 1);
      await tick();
      if (after === 2) throw new Error("batch 2 failed");
      await tick();
      finished.push(after);
    });
    await expect(walk).rejects.toThrow("batch 2 failed");
    // Batch 3 had started beside batch 2 and was let finish; nothing started after the failure.
    expect(finished).toEqual([0, 1, 3]);
  });

  test("a batch that fails before it claims anything ends the walk", async () => {
    let calls = 0;
    const walk = walkInBatches(0, 2, async () => {
      calls++;
      throw new Error("no connection");
    });
    await expect(walk).rejects.toThrow("no connection");
    expect(calls).toBe(1);
  });

  test("an aborted signal stops before the next batch", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await walkInBatches(
      0,
      1,
      async (after, claimed) => {
        started.push(after);
        if (after === 2) controller.abort();
        claimed(after + 1);
      },
      controller.signal,
    );
    expect(started).toEqual([0, 1, 2]);
  });
});
