import { test } from "./harness.js";
import assert from "node:assert/strict";
import { maskEmail, maskPhone, maskRecord } from "./submission.js";

test("maskEmail keeps the first letter and the domain", () => {
  assert.equal(maskEmail("ada.lovelace@example.com"), "a***@example.com");
  assert.equal(maskEmail(" Ada.Lovelace@Example.COM "), "A***@example.com");
});

test("maskEmail handles nulls and invalid addresses", () => {
  assert.equal(maskEmail(null), null);
  assert.equal(maskEmail("not-an-email"), "***");
  assert.equal(maskEmail("@example.com"), "***");
  assert.equal(maskEmail("a@b@c"), "***");
});

test("maskPhone keeps the last four digits", () => {
  assert.equal(maskPhone("+44 20 7946 0958"), "********0958");
  assert.equal(maskPhone("555-0199"), "***0199");
  assert.equal(maskPhone("12"), "****");
  assert.equal(maskPhone(null), null);
});

const customer = { id: 7, name: "Ada", email: "ada@example.com", phone: "555-0199", ssn: "123-45-6789", note: null as string | null };
const rules = { email: "email", phone: "phone", ssn: "redact", note: "redact" } as const;

test("maskRecord masks for ordinary viewers", () => {
  assert.deepEqual(maskRecord(customer, rules, ["analysts"]), { id: 7, name: "Ada", email: "a***@example.com", phone: "***0199", ssn: "[REDACTED]", note: null });
});

test("maskRecord leaves exempt viewers alone", () => {
  assert.deepEqual(maskRecord(customer, rules, ["analysts", "pii_readers"]), customer);
  assert.deepEqual(maskRecord(customer, rules, ["hr"], "hr"), customer);
});

test("maskRecord never modifies its input and returns a new object", () => {
  const copy = { ...customer };
  const out = maskRecord(customer, rules, []);
  assert.deepEqual(customer, copy);
  assert.notEqual(out, customer);
  assert.notEqual(maskRecord(customer, rules, ["pii_readers"]), customer);
});

test("non-string values under email or phone rules are redacted", () => {
  assert.deepEqual(maskRecord({ phone: 5550199 }, { phone: "phone" }, []), { phone: "[REDACTED]" });
});
