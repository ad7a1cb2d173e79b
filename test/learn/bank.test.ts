/**
 * The question bank as a whole: it validates, meets the content minimums, and every exercise is
 * consistent with its grader (reference solutions pass, starters fail, hidden data matters).
 * The exercise checks run real lakehouse sessions and sandboxed child processes, two at a time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BankError, defaultQuizzesRoot, loadBank, type Bank } from "../../src/learn/bank/load.js";
import { gradeSql, referenceResults } from "../../src/learn/grade/sql.js";
import { compareResults } from "../../src/learn/grade/compare.js";
import { gradeTs } from "../../src/learn/grade/ts.js";
import { loadGuide } from "../../src/learn/guide/parse.js";
import { CONCEPTS, type SqlExercise, type TsExercise } from "../../src/learn/types.js";

const bank: Bank = loadBank();
const sqlExercises = bank.exercises.filter((e): e is SqlExercise => e.kind === "sql");
const tsExercises = bank.exercises.filter((e): e is TsExercise => e.kind === "ts");

/** At most `n` exercise checks at a time (the machine has two cores). */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
const limit = limiter(2);

const OFFICIAL_DOCS = /^https:\/\/(docs\.databricks\.com|learn\.microsoft\.com|docs\.delta\.io|spark\.apache\.org|mlflow\.org)\//;

describe("bank structure", () => {
  test("the whole bank loads and validates", () => {
    expect(bank.items.length).toBeGreaterThan(0);
    expect(bank.exercises.length).toBeGreaterThan(0);
  });

  test("content minimums: 150 items, 30 exercises, every concept covered", () => {
    expect(bank.items.length).toBeGreaterThanOrEqual(150);
    expect(bank.exercises.length).toBeGreaterThanOrEqual(30);
    expect(sqlExercises.length).toBeGreaterThanOrEqual(20);
    expect(tsExercises.length).toBeGreaterThanOrEqual(8);
    for (const c of CONCEPTS) {
      expect(bank.items.filter((i) => i.concept === c).length, `items for ${c}`).toBeGreaterThanOrEqual(8);
      expect(bank.exercises.filter((e) => e.concept === c).length, `exercises for ${c}`).toBeGreaterThanOrEqual(1);
    }
  });

  test("all five item types are used, in every concept more than one type", () => {
    const types = new Set(bank.items.map((i) => i.type));
    expect([...types].sort()).toEqual(["free", "multiple", "ordering", "single", "truefalse"]);
    for (const c of CONCEPTS) expect(new Set(bank.items.filter((i) => i.concept === c).map((i) => i.type)).size, c).toBeGreaterThanOrEqual(4);
  });

  test("ids are unique across items and exercises, and distinct from the guide's", () => {
    const ids = [...bank.items.map((i) => i.id), ...bank.exercises.map((e) => e.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const guideIds = new Set(loadGuide().map((g) => g.id));
    expect(ids.filter((id) => guideIds.has(id))).toEqual([]);
  });

  test("every item has an explanation and official docs links", () => {
    for (const i of bank.items) {
      expect(i.explanation.trim().length, i.id).toBeGreaterThan(20);
      expect(i.docs.length, i.id).toBeGreaterThan(0);
      for (const d of i.docs) expect(d, i.id).toMatch(OFFICIAL_DOCS);
    }
  });

  test("the schemas' concept lists match src/learn/types.ts", () => {
    const root = defaultQuizzesRoot();
    const item = JSON.parse(readFileSync(join(root, "schema/item.schema.json"), "utf8"));
    const exercise = JSON.parse(readFileSync(join(root, "schema/exercise.schema.json"), "utf8"));
    expect(item.properties.concept.enum).toEqual([...CONCEPTS, "cross-cutting"]);
    expect(exercise.properties.concept.enum).toEqual([...CONCEPTS]);
  });

  test("exercise content is complete", () => {
    for (const e of bank.exercises) {
      expect(e.statement.trim().length, e.id).toBeGreaterThan(100);
      expect(e.hints.length, e.id).toBeGreaterThan(0);
      if (e.kind === "ts") expect(e.tests, e.id).toMatch(/from "\.\/submission\.js"/);
      else expect(e.hiddenSetup.trim(), e.id).not.toBe("");
    }
  });
});

describe("loader errors name the file, line and JSON path", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "c360-bank-"));
    cpSync(join(defaultQuizzesRoot(), "schema"), join(dir, "quizzes/schema"), { recursive: true });
    mkdirSync(join(dir, "quizzes/items"));
    mkdirSync(join(dir, "quizzes/exercises/sql-x"), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (rel: string, text: string) => writeFileSync(join(dir, "quizzes", rel), text);
  const problems = () => {
    try {
      loadBank(join(dir, "quizzes"));
    } catch (e) {
      expect(e).toBeInstanceOf(BankError);
      return (e as BankError).message;
    }
    throw new Error("expected a BankError");
  };

  test("schema problems, out-of-range answers, duplicate ids, bad exercises", () => {
    write("items/delta.yaml", [
      "- id: delta-a", "  type: single", "  concept: delta", "  difficulty: easy", "  prompt: Which one is right?",
      "  explanation: Because the docs say so, clearly.", "  docs: [https://docs.databricks.com/x]", "  choices: [a, b]", "  answer: 2",
      "- id: delta-a", "  type: truefalse", "  concept: delta", "  difficulty: easy", "  prompt: Is this statement true?",
      "  explanation: Because the docs say so, clearly.", "  docs: [https://docs.databricks.com/x]", "  answer: yes please",
    ].join("\n"));
    write("exercises/sql-x/exercise.yaml", "kind: sql\nid: sql-y\nconcept: delta\ndifficulty: easy\ntitle: A title\nhints: [look closely]\n");
    const msg = problems();
    expect(msg).toContain("quizzes/items/delta.yaml:9 $[0].answer: answer 2 is out of range: there are 2 choices");
    expect(msg).toContain("quizzes/items/delta.yaml:17 $[1].answer: must be boolean (item delta-a)");
    expect(msg).toContain("quizzes/exercises/sql-x/exercise.yaml:1 $: is missing required property 'ordered'");
  });

  test("duplicate ids and file/folder mismatches", () => {
    write("items/delta.yaml", [
      "- id: delta-a", "  type: truefalse", "  concept: delta", "  difficulty: easy", "  prompt: Is this statement true?",
      "  explanation: Because the docs say so, clearly.", "  docs: [https://docs.databricks.com/x]", "  answer: true",
      "- id: delta-a", "  type: truefalse", "  concept: jobs", "  difficulty: easy", "  prompt: Is this statement true?",
      "  explanation: Because the docs say so, clearly.", "  docs: [https://docs.databricks.com/x]", "  answer: true",
    ].join("\n"));
    write("exercises/sql-x/exercise.yaml", "kind: sql\nid: sql-y\nconcept: delta\ndifficulty: easy\ntitle: A title\nhints: [look closely]\nordered: true\n");
    const msg = problems();
    expect(msg).toContain("$[1].concept: is 'jobs' but the file is delta.yaml");
    expect(msg).toContain("quizzes/exercises/sql-x/exercise.yaml:2 $.id: is 'sql-y' but the folder is 'sql-x'");
    expect(msg).toContain("quizzes/exercises/sql-x/setup.sql $: file is missing");
  });

  test("YAML syntax errors are reported with their line", () => {
    write("items/delta.yaml", "- id: delta-a\n  prompt: What does `mode: development` do?\n");
    expect(problems()).toMatch(/quizzes\/items\/delta\.yaml:2 \$: YAML syntax error/);
  });
});

describe("SQL exercises: reference passes, starter fails, hidden data matters", () => {
  test.concurrent.each(sqlExercises.map((e) => [e.id, e] as const))("%s", async (_id, ex) => {
    await limit(async () => {
      const ref = await referenceResults(ex);
      const hiddenChanges = compareResults(ref.visible, ref.hidden, { ordered: ex.ordered, ignoreColumns: (ex as SqlExercise & { ignoreColumns?: string[] }).ignoreColumns ?? [] });
      expect(hiddenChanges.length, "hidden-setup.sql must change the expected answer").toBeGreaterThan(0);
      const solution = await gradeSql(ex, ex.solution);
      expect(solution.messages, "solution").toEqual([expect.stringMatching(/^matches the expected result/), expect.stringMatching(/^also right on the hidden data/)]);
      expect(solution.passed).toBe(true);
      const starter = await gradeSql(ex, ex.starter);
      expect(starter.passed, `starter must fail: ${starter.messages.join(" | ")}`).toBe(false);
      expect(starter.score).toBe(0);
    });
  });
});

describe("TypeScript exercises: reference passes, starter fails", () => {
  test.concurrent.each(tsExercises.map((e) => [e.id, e] as const))("%s", async (_id, ex) => {
    await limit(async () => {
      const solution = await gradeTs(ex, ex.solution);
      expect(solution.messages[0], solution.messages.join(" | ")).toMatch(/^all \d+ tests passed$/);
      expect(solution.passed).toBe(true);
      const starter = await gradeTs(ex, ex.starter);
      expect(starter.passed, "starter must fail").toBe(false);
      expect(starter.score).toBeLessThan(0.5);
    });
  });
});
