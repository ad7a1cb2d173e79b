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
  // TODO: no retries yet.
  const value = await task(1);
  return { value, attempts: 1, waits: [] };
}
