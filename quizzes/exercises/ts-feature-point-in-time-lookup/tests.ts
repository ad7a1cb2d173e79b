import { test } from "./harness.js";
import assert from "node:assert/strict";
import { pointInTimeLookup } from "./submission.js";

const f = (customerId: string, featureTs: string, spend: number) => ({ customerId, featureTs, values: { spend_90d: spend } });
const features = [
  f("c1", "2024-01-31T00:00:00Z", 120),
  f("c1", "2024-05-31T00:00:00Z", 10),
  f("c1", "2024-02-29T00:00:00Z", 80),
  f("c2", "2024-03-01T00:00:00Z", 55),
];

test("takes the latest feature at or before the label", () => {
  const out = pointInTimeLookup([{ customerId: "c1", labelTs: "2024-03-01T00:00:00Z" }], features);
  assert.deepEqual(out, [{ customerId: "c1", labelTs: "2024-03-01T00:00:00Z", featureTs: "2024-02-29T00:00:00Z", values: { spend_90d: 80 } }]);
});

test("a feature at exactly the label time matches", () => {
  assert.equal(pointInTimeLookup([{ customerId: "c2", labelTs: "2024-03-01T00:00:00Z" }], features)[0]!.featureTs, "2024-03-01T00:00:00Z");
});

test("no earlier feature or unknown key gives nulls", () => {
  const out = pointInTimeLookup([{ customerId: "c2", labelTs: "2024-02-01T00:00:00Z" }, { customerId: "c9", labelTs: "2024-02-01T00:00:00Z" }], features);
  assert.deepEqual(out.map((r) => [r.featureTs, r.values]), [[null, null], [null, null]]);
});

test("instants are compared, not strings", () => {
  const out = pointInTimeLookup([{ customerId: "c1", labelTs: "2024-01-31T01:30:00+02:00" }], features);
  assert.equal(out[0]!.featureTs, null, "01:30+02:00 is 23:30 UTC the day before");
});

test("lookback window drops stale matches", () => {
  const day = 86_400_000;
  const out = pointInTimeLookup([{ customerId: "c1", labelTs: "2024-04-15T00:00:00Z" }, { customerId: "c1", labelTs: "2024-03-05T00:00:00Z" }], features, { lookbackMs: 30 * day });
  assert.deepEqual(out.map((r) => r.featureTs), [null, "2024-02-29T00:00:00Z"]);
});

test("keeps label order and extra label fields", () => {
  const labels = [{ customerId: "c2", labelTs: "2024-06-01T00:00:00Z", churned: true }, { customerId: "c1", labelTs: "2024-06-01T00:00:00Z", churned: false }];
  const out = pointInTimeLookup(labels, features) as unknown as Array<Record<string, unknown>>;
  assert.deepEqual(out.map((r) => [r["customerId"], r["churned"], r["featureTs"]]), [["c2", true, "2024-03-01T00:00:00Z"], ["c1", false, "2024-05-31T00:00:00Z"]]);
});

test("duplicate primary keys are rejected", () => {
  assert.throws(() => pointInTimeLookup([], [f("c1", "2024-01-01T00:00:00Z", 1), f("c1", "2024-01-01T00:00:00.000Z", 2)]), /duplicate/);
});

test("scales to 30 000 labels x 30 000 feature rows", () => {
  const feats = Array.from({ length: 30_000 }, (_, i) => f(`c${i % 1000}`, new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 1000) * 86_400_000).toISOString(), i));
  const labels = Array.from({ length: 30_000 }, (_, i) => ({ customerId: `c${i % 1000}`, labelTs: new Date(Date.UTC(2024, 0, 1) + (i % 60) * 86_400_000 + 3_600_000).toISOString() }));
  const t0 = Date.now();
  const out = pointInTimeLookup(labels, feats);
  const ms = Date.now() - t0;
  assert.ok(ms < 1000, `took ${ms} ms: index the features by customer instead of scanning them all for every label`);
  assert.equal(out.length, 30_000);
  assert.equal(out[0]!.featureTs, "2024-01-01T00:00:00.000Z");
  assert.equal(out[59]!.featureTs, "2024-01-30T00:00:00.000Z", "only 30 days of features exist");
});
