export interface RetryPolicy {
  maxRetries: number;
  minRetryIntervalMs: number;
  backoff?: "fixed" | "exponential";
  maxRetryIntervalMs?: number;
}

export class TaskFailedError extends Error {
  constructor(message: string, readonly attempts: number, readonly cause: unknown) {
    super(message);
    this.name = "TaskFailedError";
  }
}

export async function runWithRetries<T>(
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void>,
  isRetryable: (err: unknown) => boolean = () => true,
): Promise<{ value: T; attempts: number; waits: number[] }> {
  const { maxRetries, minRetryIntervalMs, backoff = "fixed", maxRetryIntervalMs } = policy;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError(`maxRetries must be a whole number >= 0, got ${maxRetries}`);
  if (!(minRetryIntervalMs >= 0) || (maxRetryIntervalMs !== undefined && !(maxRetryIntervalMs >= 0))) throw new RangeError("retry intervals must be >= 0");
  const waits: number[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await task(attempt);
      return { value, attempts: attempt, waits };
    } catch (err) {
      const retries = attempt - 1;
      if (retries >= maxRetries || !isRetryable(err)) {
        const why = err instanceof Error ? err.message : String(err);
        throw new TaskFailedError(`task failed after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${why}`, attempt, err);
      }
      let wait = backoff === "exponential" ? minRetryIntervalMs * 2 ** retries : minRetryIntervalMs;
      if (backoff === "exponential" && maxRetryIntervalMs !== undefined) wait = Math.min(wait, maxRetryIntervalMs);
      waits.push(wait);
      await sleep(wait);
    }
  }
}
