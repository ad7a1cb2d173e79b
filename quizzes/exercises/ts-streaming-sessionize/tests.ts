import { test } from "./harness.js";
import assert from "node:assert/strict";
import { sessionize } from "./submission.js";

const ev = (userId: string, hhmmss: string) => ({ userId, ts: `2024-05-01T${hhmmss}.000Z` });
const iso = (hhmmss: string) => `2024-05-01T${hhmmss}.000Z`;

test("one user, one session", () => {
  assert.deepEqual(sessionize([ev("u1", "10:00:00"), ev("u1", "10:10:00"), ev("u1", "10:25:00")]), [
    { userId: "u1", start: iso("10:00:00"), end: iso("10:25:00"), events: 3 },
  ]);
});

test("a gap of more than 30 minutes starts a new session", () => {
  assert.deepEqual(sessionize([ev("u1", "10:00:00"), ev("u1", "10:30:01"), ev("u1", "10:40:00")]), [
    { userId: "u1", start: iso("10:00:00"), end: iso("10:00:00"), events: 1 },
    { userId: "u1", start: iso("10:30:01"), end: iso("10:40:00"), events: 2 },
  ]);
});

test("a gap of exactly 30 minutes does not split", () => {
  assert.deepEqual(sessionize([ev("u1", "10:00:00"), ev("u1", "10:30:00")]), [
    { userId: "u1", start: iso("10:00:00"), end: iso("10:30:00"), events: 2 },
  ]);
});

test("unsorted input and several users", () => {
  const out = sessionize([ev("u2", "11:00:00"), ev("u1", "12:00:00"), ev("u1", "10:00:00"), ev("u2", "10:59:00"), ev("u1", "10:05:00")]);
  assert.deepEqual(out, [
    { userId: "u1", start: iso("10:00:00"), end: iso("10:05:00"), events: 2 },
    { userId: "u1", start: iso("12:00:00"), end: iso("12:00:00"), events: 1 },
    { userId: "u2", start: iso("10:59:00"), end: iso("11:00:00"), events: 2 },
  ]);
});

test("a custom gap", () => {
  const out = sessionize([ev("u1", "10:00:00"), ev("u1", "10:06:00"), ev("u1", "10:10:00")], 5);
  assert.equal(out.length, 2);
  assert.equal(out[1]!.events, 2);
});

test("timestamps with offsets are normalised to UTC", () => {
  const out = sessionize([{ userId: "u1", ts: "2024-05-01T12:00:00+02:00" }, { userId: "u1", ts: "2024-05-01T10:20:00Z" }]);
  assert.deepEqual(out, [{ userId: "u1", start: iso("10:00:00"), end: iso("10:20:00"), events: 2 }]);
});

test("the input is not modified and empty input gives no sessions", () => {
  const input = [ev("u1", "10:40:00"), ev("u1", "10:00:00")];
  const copy = JSON.parse(JSON.stringify(input));
  sessionize(input);
  assert.deepEqual(input, copy);
  assert.deepEqual(sessionize([]), []);
});

test("an invalid timestamp throws", () => {
  assert.throws(() => sessionize([{ userId: "u1", ts: "yesterday" }]), /invalid timestamp/);
});
