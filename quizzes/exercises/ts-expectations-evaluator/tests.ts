import { test } from "./harness.js";
import assert from "node:assert/strict";
import { applyExpectations, ExpectationFailure, type Expectation } from "./submission.js";

interface Order { id: number | null; amount: number | null; status: string }
const rows: Order[] = [
  { id: 1, amount: 10, status: "placed" },
  { id: 2, amount: -5, status: "placed" },
  { id: null, amount: 3, status: "shipped" },
  { id: 4, amount: null, status: "lost" },
];
const hasId: Expectation<Order> = { name: "has_id", check: (r) => r.id !== null, action: "warn" };
const validAmount = (action: "warn" | "drop" | "fail"): Expectation<Order> => ({ name: "valid_amount", check: (r) => (r.amount === null ? null : r.amount >= 0), action });

test("warn keeps every row and counts failures", () => {
  const out = applyExpectations(rows, [hasId, validAmount("warn")]);
  assert.equal(out.rows.length, 4);
  assert.deepEqual(out.metrics, { has_id: { passed: 3, failed: 1 }, valid_amount: { passed: 2, failed: 2 } });
});

test("drop removes failing rows (null counts as failure)", () => {
  const out = applyExpectations(rows, [validAmount("drop")]);
  assert.deepEqual(out.rows.map((r) => r.id), [1, null]);
  assert.deepEqual(out.metrics, { valid_amount: { passed: 2, failed: 2 } });
});

test("fail throws ExpectationFailure with the name and row index", () => {
  assert.throws(() => applyExpectations(rows, [hasId, validAmount("fail")]), (e: unknown) => {
    assert.ok(e instanceof ExpectationFailure, "throws an ExpectationFailure");
    assert.equal(e.expectation, "valid_amount");
    assert.equal(e.rowIndex, 1);
    return true;
  });
});

test("the first failing fail-expectation in order is reported", () => {
  const a: Expectation<Order> = { name: "a", check: () => false, action: "fail" };
  const b: Expectation<Order> = { name: "b", check: () => false, action: "fail" };
  assert.throws(() => applyExpectations(rows, [a, b]), (e: unknown) => e instanceof ExpectationFailure && e.expectation === "a" && e.rowIndex === 0);
});

test("a check that throws counts as failed", () => {
  const boom: Expectation<Order> = { name: "boom", check: (r) => { if (r.status === "lost") throw new Error("x"); return true; }, action: "drop" };
  const out = applyExpectations(rows, [boom]);
  assert.equal(out.rows.length, 3);
  assert.deepEqual(out.metrics["boom"], { passed: 3, failed: 1 });
});

test("only exactly true passes", () => {
  const truthy: Expectation<Order> = { name: "truthy", check: (r) => (r.id as unknown as boolean), action: "drop" };
  assert.equal(applyExpectations(rows, [truthy]).rows.length, 0);
});

test("duplicate names are rejected and metrics exist for empty input", () => {
  assert.throws(() => applyExpectations(rows, [hasId, { ...hasId }]), /duplicate/);
  assert.deepEqual(applyExpectations([], [hasId]), { rows: [], metrics: { has_id: { passed: 0, failed: 0 } } });
});

test("the input array is not modified", () => {
  const copy = rows.slice();
  applyExpectations(rows, [validAmount("drop")]);
  assert.deepEqual(rows, copy);
});
