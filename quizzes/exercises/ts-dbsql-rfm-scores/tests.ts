import { test } from "./harness.js";
import assert from "node:assert/strict";
import { rfmScores } from "./submission.js";

const o = (customerId: string, date: string, amount: number) => ({ customerId, date, amount });

test("aggregates recency, frequency and monetary", () => {
  const out = rfmScores([o("a", "2024-06-01", 10), o("a", "2024-06-20", 5.554), o("b", "2024-01-01", 100)], "2024-06-30");
  assert.deepEqual(out.map((x) => [x.customerId, x.recencyDays, x.frequency, x.monetary]), [["a", 10, 2, 15.55], ["b", 181, 1, 100]]);
});

test("ten customers split into quintiles of two", () => {
  const orders = Array.from({ length: 10 }, (_, i) => o(`c${i}`, `2024-06-${String(10 + i).padStart(2, "0")}`, (i + 1) * 10));
  const out = rfmScores(orders, "2024-06-30");
  assert.deepEqual(out.map((x) => x.r), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  assert.deepEqual(out.map((x) => x.m), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  assert.equal(out[9]!.segment, "555"); // one order each: frequency ties are broken by customerId
});

test("uneven sizes follow NTILE: the first buckets get the extra rows", () => {
  const orders = Array.from({ length: 7 }, (_, i) => o(`c${i}`, "2024-06-01", i + 1));
  const out = rfmScores(orders, "2024-06-30");
  assert.deepEqual(out.map((x) => x.m), [1, 1, 2, 2, 3, 4, 5]);
});

test("fewer than five customers get buckets 1..n", () => {
  const out = rfmScores([o("x", "2024-06-01", 5), o("y", "2024-06-02", 1), o("z", "2024-06-03", 3)], "2024-06-30");
  assert.deepEqual(out.map((x) => [x.customerId, x.r, x.m]), [["x", 1, 3], ["y", 2, 1], ["z", 3, 2]]);
});

test("ties are broken by customerId", () => {
  const orders = ["e", "d", "c", "b", "a"].map((id) => o(id, "2024-06-01", 10));
  const out = rfmScores(orders, "2024-06-30");
  assert.deepEqual(out.map((x) => `${x.customerId}${x.r}${x.f}${x.m}`), ["a111", "b222", "c333", "d444", "e555"]);
});

test("orders after asOf are ignored", () => {
  const out = rfmScores([o("a", "2024-07-05", 99), o("a", "2024-06-29", 1), o("b", "2024-07-01", 50)], "2024-06-30");
  assert.deepEqual(out.map((x) => [x.customerId, x.recencyDays, x.frequency, x.monetary]), [["a", 1, 1, 1]]);
});
