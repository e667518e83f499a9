// A circuit breaker in front of a remote provider: after `failureThreshold` failures in a row it opens
// and calls fail at once (the local provider answers instead of every request waiting for a timeout);
// after `coolDownMs` one probe call is let through (half-open) — success closes it, failure re-opens it.
// The clock is injected so tests move time instead of sleeping.

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  failureThreshold?: number;
  coolDownMs?: number;
  now?: () => number;
}

export class BreakerOpenError extends Error {
  constructor(readonly retryAt: number) {
    super("circuit open: the remote provider failed repeatedly");
  }
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return "closed";
    return this.now() - this.openedAt >= this.coolDownMs ? "half-open" : "open";
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    // Only one probe at a time while half-open: the others keep failing fast until it reports.
    if (state === "open" || (state === "half-open" && this.probing))
      throw new BreakerOpenError((this.openedAt ?? this.now()) + this.coolDownMs);
    this.probing = state === "half-open";
    try {
      const result = await call();
      this.failures = 0;
      this.openedAt = undefined;
      return result;
    } catch (error) {
      this.failures++;
      if (state === "half-open" || this.failures >= this.failureThreshold) this.openedAt = this.now();
      throw error;
    } finally {
      if (state === "half-open") this.probing = false;
    }
  }
}
