/**
 * Graders: quiz answers, result-set comparison, SQL exercises on the lakehouse (messages, hidden
 * data, errors, confinement) and the TypeScript sandbox (timeouts, file-system escapes, forged
 * results).
 */
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { gradeItem, AnswerShapeError, longestIncreasingSubsequence, type FreeResponseGrade } from "../../src/learn/grade/item.js";
import { compareResults, type ResultSet } from "../../src/learn/grade/compare.js";
import { gradeSql } from "../../src/learn/grade/sql.js";
import { gradeTs, permissionFlag, declaredTestNames, DEFAULT_TS_TIMEOUT_MS } from "../../src/learn/grade/ts.js";
import { gradeExercise } from "../../src/learn/grade/index.js";
import type { QuizItem, SqlExercise, TsExercise } from "../../src/learn/types.js";

const base = { concept: "delta" as const, difficulty: "easy" as const, prompt: "A question?", explanation: "Because.", docs: ["https://docs.databricks.com/x"] };

describe("gradeItem", () => {
  const single: QuizItem = { ...base, id: "s", type: "single", choices: ["a", "b", "c"], answer: 1 };
  const multiple: QuizItem = { ...base, id: "m", type: "multiple", choices: ["a", "b", "c", "d"], answers: [0, 2, 3] };
  const tf: QuizItem = { ...base, id: "t", type: "truefalse", answer: false };
  const ordering: QuizItem = { ...base, id: "o", type: "ordering", steps: ["one", "two", "three", "four", "five"] };
  const free: QuizItem = { ...base, id: "f", type: "free", reference: "Parquet files plus a transaction log of commits.", keyPoints: ["transaction log of commits", "optimistic concurrency", "checkpoints"] };

  test("single choice", () => {
    expect(gradeItem(single, 1)).toMatchObject({ correct: true, score: 1 });
    const wrong = gradeItem(single, 2);
    expect(wrong).toMatchObject({ correct: false, score: 0 });
    expect(wrong.feedback).toContain("the answer is B. b");
    expect(wrong.feedback).toContain("Because.");
    expect(gradeItem(single, 7).correct).toBe(false);
  });

  test("multiple choice gives partial credit and penalises wrong picks", () => {
    expect(gradeItem(multiple, [3, 0, 2])).toMatchObject({ correct: true, score: 1 });
    expect(gradeItem(multiple, [0, 2])).toMatchObject({ correct: false, score: 0.667 });
    expect(gradeItem(multiple, [0, 2, 1])).toMatchObject({ correct: false, score: 0.333 });
    expect(gradeItem(multiple, [1])).toMatchObject({ correct: false, score: 0 });
    expect(gradeItem(multiple, [0, 2]).feedback).toContain("2 of 3 right choices picked");
  });

  test("true/false", () => {
    expect(gradeItem(tf, false)).toMatchObject({ correct: true, score: 1 });
    expect(gradeItem(tf, true)).toMatchObject({ correct: false, score: 0 });
  });

  test("ordering gives partial credit by the longest correctly ordered subsequence", () => {
    expect(longestIncreasingSubsequence([0, 2, 1, 3, 4])).toBe(4);
    expect(gradeItem(ordering, [0, 1, 2, 3, 4])).toMatchObject({ correct: true, score: 1 });
    expect(gradeItem(ordering, [0, 2, 1, 3, 4])).toMatchObject({ correct: false, score: 0.75 });
    expect(gradeItem(ordering, [4, 3, 2, 1, 0])).toMatchObject({ correct: false, score: 0 });
    const partial = gradeItem(ordering, [1, 0, 2, 3, 4]);
    expect(partial.feedback).toContain("4 of 5 steps are in the right relative order");
    expect(partial.feedback).toContain("1. one\n2. two");
    expect(gradeItem(ordering, [0, 1, 2, 3])).toMatchObject({ correct: false, score: 0 });
    expect(gradeItem(ordering, [0, 0, 2, 3, 4]).feedback).toContain("Give every step exactly once");
  });

  test("free response: text reveals the reference, then self-assessment scores", () => {
    const reveal = gradeItem(free, "Delta keeps a transaction log of commits and uses checkpoints.") as FreeResponseGrade;
    expect(reveal).toMatchObject({ correct: false, score: 0, selfAssessment: "pending", reference: free.type === "free" ? free.reference : "" });
    expect(reveal.keyPoints).toHaveLength(3);
    expect(reveal.likelyCovered).toEqual([0, 2]);
    expect(reveal.feedback).toContain("Reference answer");
    expect(gradeItem(free, [0, 2])).toMatchObject({ correct: true, score: 0.667, selfAssessment: "done" });
    expect(gradeItem(free, [1])).toMatchObject({ correct: false, score: 0.333 });
    expect(gradeItem(free, [0, 0, 9])).toMatchObject({ score: 0.333 });
    expect(gradeItem(free, 0.8)).toMatchObject({ correct: true, score: 0.8 });
    expect(gradeItem(free, 1.7)).toMatchObject({ score: 1 });
  });

  test("an answer of the wrong shape is a programming error", () => {
    expect(() => gradeItem(single, "1")).toThrow(AnswerShapeError);
    expect(() => gradeItem(multiple, 1)).toThrow(AnswerShapeError);
    expect(() => gradeItem(tf, 0)).toThrow(/true or false/);
    expect(() => gradeItem(ordering, true)).toThrow(AnswerShapeError);
    expect(() => gradeItem(free, true)).toThrow(AnswerShapeError);
  });
});

describe("compareResults", () => {
  const cols = (...c: [string, string][]) => c.map(([name, type]) => ({ name, type }));
  const rs = (columns: { name: string; type: string }[], rows: Record<string, unknown>[]): ResultSet => ({ columns, rows });
  const amounts = (vals: (string | number)[]) => rs(cols(["id", "BIGINT"], ["amount", "DECIMAL(10,2)"]), vals.map((v, i) => ({ id: BigInt(i + 1), amount: v })));

  test("column names first", () => {
    expect(compareResults(amounts(["1.00"]), rs(cols(["id", "BIGINT"], ["sum(amount)", "DECIMAL(38,2)"]), []), { ordered: true })).toEqual([
      "wrong columns: expected (id, amount), got (id, sum(amount))",
      "missing column: amount (name your expressions with AS; unexpected: sum(amount))",
    ]);
    expect(compareResults(amounts([]), rs(cols(["amount", "DOUBLE"], ["id", "BIGINT"]), []), { ordered: true })).toEqual(["columns in the wrong order: expected (id, amount), got (amount, id)"]);
    expect(compareResults(amounts([]), rs(cols(["ID", "BIGINT"], ["Amount", "DOUBLE"]), []), { ordered: true })).toEqual([]);
  });

  test("then the row count", () => {
    const msgs = compareResults(amounts(["1.00", "2.00", "3.00", "4.00", "5.00"]), amounts(["1.00", "2.00", "3.00", "4.00"]), { ordered: true });
    expect(msgs[0]).toBe("wrong number of rows: expected 5, got 4");
    expect(msgs[1]).toBe("missing row (id=5, amount=5.00)");
  });

  test("then values, numerically", () => {
    expect(compareResults(amounts(["1.00", "2.00", "12.50"]), amounts(["1.00", "2.00", "12.40"]), { ordered: true })).toEqual(["column amount differs in row 3: expected 12.50, got 12.40"]);
    expect(compareResults(amounts(["1.00", "12.50"]), amounts([1, 12.5]), { ordered: true })).toEqual([]);
    expect(compareResults(amounts(["0.30"]), amounts([0.1 + 0.2]), { ordered: true })).toEqual([]);
  });

  test("bigints exactly, dates and timestamps as ISO text, text quoted", () => {
    const big = (v: bigint) => rs(cols(["n", "BIGINT"]), [{ n: v }]);
    expect(compareResults(big(9007199254740993n), big(9007199254740992n), { ordered: true })).toEqual(["column n differs in row 1: expected 9007199254740993, got 9007199254740992"]);
    const ts = (d: Date, day: string) => rs(cols(["ts", "TIMESTAMP WITH TIME ZONE"], ["day", "DATE"]), [{ ts: d, day }]);
    expect(compareResults(ts(new Date("2024-05-01T10:00:00Z"), "2024-05-01"), ts(new Date("2024-05-01T10:00:01Z"), "2024-05-02"), { ordered: true })).toEqual([
      "column ts differs in row 1: expected 2024-05-01T10:00:00.000Z, got 2024-05-01T10:00:01.000Z",
      "column day differs in row 1: expected 2024-05-01, got 2024-05-02",
    ]);
    const text = (s: string | null) => rs(cols(["name", "VARCHAR"]), [{ name: s }]);
    expect(compareResults(text("Ada"), text(null), { ordered: true })).toEqual(["column name differs in row 1: expected 'Ada', got NULL"]);
  });

  test("order: a right multiset in the wrong order, and unordered comparison", () => {
    const a = amounts(["1.00", "2.00"]);
    const b = rs(a.columns, [...a.rows].reverse());
    expect(compareResults(a, b, { ordered: true })[0]).toMatch(/^the rows are right but in the wrong order: check the ORDER BY/);
    expect(compareResults(a, b, { ordered: false })).toEqual([]);
    const c = rs(a.columns, [{ id: 2n, amount: "2.00" }, { id: 1n, amount: "1.50" }]);
    expect(compareResults(a, c, { ordered: false })).toEqual(["column amount differs in the row with id=1: expected 1.00, got 1.50"]);
  });

  test("ignored columns and map keys", () => {
    const h = (ms: string, t: Date) => rs(cols(["version", "BIGINT"], ["timestamp", "TIMESTAMP WITH TIME ZONE"], ["operationMetrics", "MAP(VARCHAR, VARCHAR)"]), [{ version: 1n, timestamp: t, operationMetrics: { numOutputRows: "3", executionTimeMs: ms } }]);
    expect(compareResults(h("5", new Date(1)), h("9", new Date(2)), { ordered: true })).toHaveLength(2);
    expect(compareResults(h("5", new Date(1)), h("9", new Date(2)), { ordered: true, ignoreColumns: ["timestamp", "operationMetrics.executionTimeMs"] })).toEqual([]);
  });

  test("a script that ends with a command gets a hint", () => {
    const msgs = compareResults(amounts(["1.00"]), rs(cols(["num_affected_rows", "BIGINT"]), [{ num_affected_rows: 1n }]), { ordered: true });
    expect(msgs[1]).toMatch(/ends with a command/);
  });
});

const orders: SqlExercise = {
  kind: "sql", id: "test-orders", concept: "dbsql", difficulty: "easy", title: "Totals", statement: "Totals per customer.", hints: ["GROUP BY"], ordered: true,
  setup: `CREATE TABLE orders (id BIGINT, customer STRING, amount DECIMAL(10,2));
    INSERT INTO orders VALUES (1, 'a', 12.50), (2, 'b', 3.10), (3, 'a', 1.00), (4, 'c', 7.25), (5, 'b', 2.00), (6, 'd', 4.00), (7, 'e', 5.00)`,
  hiddenSetup: "INSERT INTO orders VALUES (8, 'f', 9.99), (9, 'a', 1.01)",
  starter: "SELECT 1",
  solution: "SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer ORDER BY customer",
};

describe("gradeSql", () => {
  test("the reference passes on visible and hidden data", async () => {
    const r = await gradeSql(orders, orders.solution);
    expect(r).toMatchObject({ passed: true, score: 1, messages: ["matches the expected result (5 rows)", "also right on the hidden data (6 rows)"] });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  test("a missing row: wrong number of rows", async () => {
    const r = await gradeSql(orders, "SELECT customer, SUM(amount) AS total FROM orders WHERE customer <> 'e' GROUP BY customer ORDER BY customer");
    expect(r.passed).toBe(false);
    expect(r.messages[0]).toBe("wrong number of rows: expected 5, got 4");
    expect(r.messages[1]).toBe("missing row (customer='e', total=5.00)");
  });

  test("a wrong value: column differs in row", async () => {
    const r = await gradeSql(orders, "SELECT customer, SUM(amount) - CASE WHEN customer = 'c' THEN 0.10 ELSE 0 END AS total FROM orders GROUP BY customer ORDER BY customer");
    expect(r.messages).toEqual(["column total differs in row 3: expected 7.25, got 7.15"]);
  });

  test("the hidden-data check catches a hard-coded answer", async () => {
    const hardCoded = "SELECT * FROM (VALUES ('a', 13.50), ('b', 5.10), ('c', 7.25), ('d', 4.00), ('e', 5.00)) AS t(customer, total) ORDER BY customer";
    const r = await gradeSql(orders, hardCoded);
    expect(r.passed).toBe(false);
    expect(r.score).toBe(0.5);
    expect(r.messages[0]).toBe("passes on the visible data but not on hidden data: wrong number of rows: expected 6, got 5");
  });

  test("errors in the learner's SQL become messages", async () => {
    const bad = await gradeSql(orders, "SELECT customr FROM orders");
    expect(bad.passed).toBe(false);
    expect(bad.messages[0]).toMatch(/^your SQL failed: .*customr/);
    expect(bad.messages[0]).not.toMatch(/LINE \d/);
    expect((await gradeSql(orders, "SELEC 1")).messages[0]).toMatch(/^your SQL failed: .*syntax/i);
    expect((await gradeSql(orders, "  -- nothing yet\n")).messages).toEqual(["your SQL is empty: write the query the task asks for"]);
    expect((await gradeSql(orders, "SELECT * FROM no_such_table")).messages[0]).toMatch(/no_such_table/);
  });

  test("the engine may not read or write outside the run's folders", async () => {
    const read = await gradeSql(orders, "SELECT * FROM read_csv('/etc/passwd')");
    expect(read.messages[0]).toMatch(/^your SQL failed: .*(Permission|disabled)/);
    const target = join(tmpdir(), `c360-escape-${process.pid}.csv`);
    const write = await gradeSql(orders, `COPY (SELECT 1 AS x) TO '${target}'`);
    expect(write.passed).toBe(false);
    expect(existsSync(target)).toBe(false);
    rmSync(target, { force: true });
  });

  test("a query that never ends is interrupted", async () => {
    const r = await gradeSql(orders, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS c FROM r", { timeoutMs: 1500 });
    expect(r.passed).toBe(false);
    expect(r.messages[0]).toMatch(/timed out after 2 s|timed out after 1 s/);
  });
});

const adder: TsExercise = {
  kind: "ts", id: "test-adder", concept: "jobs", difficulty: "easy", title: "Add", statement: "Add two numbers.", hints: ["+"],
  starter: "export function add(a: number, b: number): number { return 0; }",
  solution: "export function add(a: number, b: number): number { return a + b; }",
  tests: `
import { test } from "./harness.js";
import assert from "node:assert/strict";
import { add } from "./submission.js";
test("adds", () => { assert.equal(add(1, 2), 3); });
test("adds negatives", () => { assert.equal(add(-1, -2), -3, "negative numbers"); });
test("async works", async () => { await new Promise((r) => setTimeout(r, 5)); assert.equal(add(0, 0), 0); });
`,
};

describe("gradeTs", () => {
  test("passing and failing submissions", async () => {
    expect(await gradeTs(adder, adder.solution)).toMatchObject({ passed: true, score: 1, messages: ["all 3 tests passed"] });
    const wrong = await gradeTs(adder, "export const add = (a: number, b: number) => a - b;");
    expect(wrong).toMatchObject({ passed: false, score: 0.333 });
    expect(wrong.messages).toEqual(["1 of 3 tests passed", "✗ adds: expected 3, got -1", "✗ adds negatives: negative numbers (expected -3, got 1)"]);
    expect(await gradeExercise(adder, adder.solution)).toMatchObject({ passed: true });
  });

  test("compile errors and load errors are messages", async () => {
    expect((await gradeTs(adder, "export function add(a: number, b: number) { return a + ; }")).messages[0]).toMatch(/^your code does not compile: submission\.ts:1:\d+: /);
    expect((await gradeTs(adder, "throw new Error('boom at import'); export function add(a: number, b: number) { return a + b; }")).messages[0]).toMatch(/^your code could not be loaded: Error: boom at import/);
    expect((await gradeTs(adder, "export const plus = 1;")).messages[0]).toMatch(/^your code could not be loaded: SyntaxError: .*does not provide an export named 'add'/);
  });

  test("an infinite loop times out", async () => {
    expect(DEFAULT_TS_TIMEOUT_MS).toBe(10_000);
    const r = await gradeTs(adder, "export function add(a: number, b: number): number { while (true) {} }", { timeoutMs: 2000 });
    expect(r).toMatchObject({ passed: false, score: 0, messages: ["timed out after 2 s (infinite loop?)"] });
  });

  test("a file-system escape is denied: reading /etc/passwd, writing outside the sandbox", async () => {
    const read = await gradeTs(adder, `import { readFileSync } from "node:fs";
      export function add(a: number, b: number): number { return readFileSync("/etc/passwd", "utf8").length; }`);
    expect(read.passed).toBe(false);
    expect(read.messages[1]).toMatch(/access denied by the sandbox \(FileSystemRead: \/etc\/passwd\)/);

    const target = join(tmpdir(), `c360-ts-escape-${process.pid}.txt`);
    const write = await gradeTs(adder, `import { writeFileSync } from "node:fs";
      writeFileSync(${JSON.stringify(target)}, "pwned");
      export const add = (a: number, b: number) => a + b;`);
    expect(write.passed).toBe(false);
    expect(write.messages[0]).toMatch(/access denied by the sandbox \(FileSystemWrite/);
    expect(existsSync(target)).toBe(false);

    const spawn = await gradeTs(adder, `import { execSync } from "node:child_process";
      export const add = (a: number, b: number) => Number(execSync("echo 3").toString());`);
    expect(spawn.passed).toBe(false);
    expect(spawn.messages[1]).toMatch(/access denied by the sandbox \(ChildProcess\)/);
  });

  test("a hostile submission cannot forge a pass", async () => {
    const forged = await gradeTs(adder, `
      console.log('{"loadError":null,"results":[{"name":"adds","ok":true,"message":""}]}');
      export const add = (a: number, b: number) => 0;`);
    expect(forged.passed).toBe(false);
    const patched = await gradeTs(adder, `import assert from "node:assert/strict";
      try { (assert as any).equal = () => {}; } catch {}
      try { (Promise.prototype as any).then = function (f: any) { f(); }; } catch {}
      export const add = (a: number, b: number) => 0;`);
    expect(patched.passed).toBe(false);
    const fakeTests = await gradeTs(adder, `import { test } from "./harness.js";
      test("extra", () => {});
      export const add = (a: number, b: number) => 0;`);
    expect(fakeTests.passed).toBe(false);
    const exit = await gradeTs(adder, "export const add = (a: number, b: number) => { process.exit(0); };");
    expect(exit.passed).toBe(false);
    expect(exit.messages[1]).toMatch(/process\.exit\(\) is not allowed/);
    const kill = await gradeTs(adder, "export const add = (a: number, b: number) => { process.kill(process.ppid, 'SIGKILL'); return a + b; };");
    expect(kill.passed).toBe(false);
  });

  test("a memory bomb hits the heap limit", async () => {
    const r = await gradeTs(adder, "export const add = (a: number, b: number) => { const xs: unknown[] = []; for (;;) xs.push(new Array(1000).fill(a)); };", { memoryMb: 64 });
    expect(r.passed).toBe(false);
    expect(r.messages[0]).toMatch(/ran out of memory \(the limit is 64 MB\)/);
  });

  test("helpers: permission flag per Node version, declared test names", () => {
    expect(permissionFlag("20.20.2")).toBe("--experimental-permission");
    expect(permissionFlag("22.12.0")).toBe("--experimental-permission");
    expect(permissionFlag("22.13.0")).toBe("--permission");
    expect(permissionFlag("24.1.0")).toBe("--permission");
    expect(declaredTestNames(adder.tests)).toEqual(["adds", "adds negatives", "async works"]);
  });
});
