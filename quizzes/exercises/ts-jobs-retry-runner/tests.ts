import { test } from "./harness.js";
import assert from "node:assert/strict";
import { runWithRetries, TaskFailedError } from "./submission.js";

const noSleep = async (_ms: number) => {};
/** A task that fails `n` times, then returns "ok". */
function flaky(n: number) {
  const seen: number[] = [];
  const task = async (attempt: number) => {
    seen.push(attempt);
    if (seen.length <= n) throw new Error(`boom ${attempt}`);
    return "ok";
  };
  return { task, seen };
}

test("succeeds first time without waiting", async () => {
  const { task } = flaky(0);
  assert.deepEqual(await runWithRetries(task, { maxRetries: 3, minRetryIntervalMs: 1000 }, noSleep), { value: "ok", attempts: 1, waits: [] });
});

test("fixed retries wait the minimum interval", async () => {
  const { task, seen } = flaky(2);
  const slept: number[] = [];
  const out = await runWithRetries(task, { maxRetries: 3, minRetryIntervalMs: 500 }, async (ms) => { slept.push(ms); });
  assert.deepEqual(out, { value: "ok", attempts: 3, waits: [500, 500] });
  assert.deepEqual(slept, [500, 500]);
  assert.deepEqual(seen, [1, 2, 3]);
});

test("exponential backoff doubles and is capped", async () => {
  const { task } = flaky(5);
  const out = await runWithRetries(task, { maxRetries: 5, minRetryIntervalMs: 100, backoff: "exponential", maxRetryIntervalMs: 1000 }, noSleep);
  assert.deepEqual(out.waits, [100, 200, 400, 800, 1000]);
  assert.equal(out.attempts, 6);
});

test("gives up after maxRetries with TaskFailedError", async () => {
  const { task } = flaky(10);
  await assert.rejects(runWithRetries(task, { maxRetries: 2, minRetryIntervalMs: 0 }, noSleep), (e: unknown) => {
    assert.ok(e instanceof TaskFailedError, "rejects with TaskFailedError");
    assert.equal(e.attempts, 3);
    assert.match(e.message, /3/);
    assert.equal((e.cause as Error).message, "boom 3");
    return true;
  });
});

test("non-retryable errors fail immediately", async () => {
  const { task, seen } = flaky(10);
  await assert.rejects(runWithRetries(task, { maxRetries: 5, minRetryIntervalMs: 10 }, noSleep, () => false), (e: unknown) => e instanceof TaskFailedError && e.attempts === 1);
  assert.deepEqual(seen, [1]);
});

test("maxRetries 0 means a single attempt", async () => {
  const { task } = flaky(1);
  await assert.rejects(runWithRetries(task, { maxRetries: 0, minRetryIntervalMs: 10 }, noSleep), TaskFailedError);
});

test("invalid policies are rejected before running", async () => {
  const { task, seen } = flaky(0);
  await assert.rejects(runWithRetries(task, { maxRetries: -1, minRetryIntervalMs: 0 }, noSleep), RangeError);
  await assert.rejects(runWithRetries(task, { maxRetries: 1.5, minRetryIntervalMs: 0 }, noSleep), RangeError);
  await assert.rejects(runWithRetries(task, { maxRetries: 1, minRetryIntervalMs: -5 }, noSleep), RangeError);
  assert.deepEqual(seen, []);
});
