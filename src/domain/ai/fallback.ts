// Remote first, local always: each task of the remote provider runs behind its own circuit breaker
// (a broken summarization model should not stop sentiment), and whenever the remote call fails,
// times out or the breaker is open, the local provider answers and the result records why.
import { BreakerOpenError, type BreakerOptions, CircuitBreaker } from "./breaker";
import { AI_TASKS, type AiProvider, type AiResult, type AiTask } from "./provider";

export interface FallbackOptions {
  breaker?: BreakerOptions;
  /** Told about every fallback, e.g. to count it in metrics or log it. */
  onFallback?: (task: AiTask, reason: string, error: unknown) => void;
}

export interface FallbackProvider extends AiProvider {
  breakers: Record<AiTask, CircuitBreaker>;
}

export function withFallback(
  remote: AiProvider,
  local: AiProvider,
  options: FallbackOptions = {},
): FallbackProvider {
  const breakers = Object.fromEntries(
    AI_TASKS.map((task) => [task, new CircuitBreaker(options.breaker)]),
  ) as Record<AiTask, CircuitBreaker>;

  async function attempt<R, T>(
    task: AiTask,
    request: R,
    signal: AbortSignal | undefined,
    call: (provider: AiProvider, request: R, signal?: AbortSignal) => Promise<AiResult<T>>,
  ): Promise<AiResult<T>> {
    if (remote.supports && !remote.supports(task)) return call(local, request, signal);
    try {
      return await breakers[task].run(() => call(remote, request, signal));
    } catch (error) {
      // The caller gave up (request finished, job cancelled): nobody is waiting for a local answer.
      if (signal?.aborted) throw error;
      const reason = fallbackReason(error);
      options.onFallback?.(task, reason, error);
      const answer = await call(local, request, signal);
      return { ...answer, fallback: { from: remote.name, reason } };
    }
  }

  return {
    name: remote.name,
    breakers,
    categorize: (request, signal) => attempt("categorize", request, signal, (p, r, s) => p.categorize(r, s)),
    sentiment: (request, signal) => attempt("sentiment", request, signal, (p, r, s) => p.sentiment(r, s)),
    summarize: (request, signal) => attempt("summarize", request, signal, (p, r, s) => p.summarize(r, s)),
    suggestReply: (request, signal) =>
      attempt("suggestReply", request, signal, (p, r, s) => p.suggestReply(r, s)),
    similarTickets: (request, signal) =>
      attempt("similarTickets", request, signal, (p, r, s) => p.similarTickets(r, s)),
    rankDocuments: (request, signal) =>
      attempt("rankDocuments", request, signal, (p, r, s) => p.rankDocuments(r, s)),
  };
}

/** A short reason for the ticket's "answered locally because …" line. */
export function fallbackReason(error: unknown): string {
  if (error instanceof BreakerOpenError) return "circuit open";
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "timeout";
    if (error.name === "AbortError") return "aborted";
    return error.message.slice(0, 200);
  }
  return String(error).slice(0, 200);
}
