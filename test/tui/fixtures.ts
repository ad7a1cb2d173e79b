/**
 * A small in-memory bank (every item type, one SQL and one TS exercise, flashcards) and fake
 * graders, so the TUI, CLI and assignment tests do not depend on the real quizzes/ content.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Answer, Exercise, ExerciseResult, Flashcard, ItemGrade, QuizItem } from "../../src/learn/types.js";
import type { Graders, LearnData } from "../../src/learn/session/sources.js";

export const ITEMS: QuizItem[] = [
  {
    id: "delta-log", concept: "delta", difficulty: "easy", type: "single",
    prompt: "Where does Delta Lake record its commits?",
    choices: ["In the Hive metastore", "In the _delta_log folder", "In a Parquet footer", "In ZooKeeper"], answer: 1,
    explanation: "Every commit is a numbered JSON file in _delta_log.", docs: ["https://docs.databricks.com/lakehouse/acid"],
  },
  {
    id: "delta-vacuum", concept: "delta", difficulty: "medium", type: "truefalse",
    prompt: "VACUUM removes log entries older than 30 days.", answer: false,
    explanation: "VACUUM removes data files; log cleanup is separate.", docs: ["https://docs.databricks.com/delta/vacuum"],
  },
  {
    id: "delta-features", concept: "delta", difficulty: "medium", type: "multiple",
    prompt: "Which of these are Delta table features?", choices: ["Deletion vectors", "Column mapping", "Row-level triggers"], answers: [0, 1],
    explanation: "Deletion vectors and column mapping are table features.", docs: ["https://docs.delta.io/table-features"],
  },
  {
    id: "streaming-order", concept: "streaming", difficulty: "hard", type: "ordering",
    prompt: "Order the steps of a streaming micro-batch.", steps: ["Read new offsets", "Process the batch", "Commit the offsets"],
    explanation: "Offsets are planned, processed, then committed.", docs: ["https://docs.databricks.com/structured-streaming"],
  },
  {
    id: "streaming-free", concept: "streaming", difficulty: "hard", type: "free",
    prompt: "Explain checkpoints in one sentence.", reference: "A checkpoint stores offsets and state so a query resumes exactly where it stopped.", keyPoints: ["offsets", "state"],
    explanation: "Checkpoints make restarts exactly-once.", docs: ["https://docs.databricks.com/structured-streaming/checkpoints"],
  },
];

export const EXERCISES: Exercise[] = [
  {
    kind: "sql", id: "sql-count", concept: "delta", difficulty: "easy", title: "Count customers per country",
    statement: "Count the customers of each country.\nReturn country and n.", setup: "CREATE TABLE customers (id INT, country STRING)", hiddenSetup: "INSERT INTO customers VALUES (99, 'XX')",
    starter: "-- write your query\nSELECT 1;\n", solution: "SELECT country, count(*) AS n FROM customers GROUP BY country", ordered: false, hints: ["Use GROUP BY.", "count(*) counts rows."],
  },
  {
    kind: "ts", id: "ts-add", concept: "connect", difficulty: "easy", title: "Add two numbers",
    statement: "Export add(a, b).", starter: "export function add(a: number, b: number): number {\n  return 0;\n}\n", tests: "HIDDEN TESTS", solution: "export function add(a: number, b: number) { return a + b; }", hints: ["Return a + b."],
  },
];

export const FLASHCARDS: Flashcard[] = [
  { id: "fc-log", concept: "delta", front: "What is in _delta_log?", back: "Numbered JSON commits and checkpoints.", source: "guide" },
  { id: "fc-vacuum", concept: "delta", front: "Default VACUUM retention?", back: "7 days.", source: "guide" },
  { id: "fc-cdf", concept: "delta", front: "What does CDF record?", back: "Row-level changes between versions.", source: "bank" },
];

export function fixtureData(): LearnData {
  return { items: structuredClone(ITEMS), exercises: structuredClone(EXERCISES), flashcards: structuredClone(FLASHCARDS) };
}

function gradeItem(item: QuizItem, answer: Answer): ItemGrade {
  switch (item.type) {
    case "single":
      return answer === item.answer ? { correct: true, score: 1, feedback: "" } : { correct: false, score: 0, feedback: "That is not it." };
    case "truefalse":
      return answer === item.answer ? { correct: true, score: 1, feedback: "" } : { correct: false, score: 0, feedback: "Wrong way round." };
    case "multiple": {
      const got = new Set(answer as number[]);
      const right = item.answers.filter((i) => got.has(i)).length;
      const wrong = [...got].filter((i) => !item.answers.includes(i)).length;
      const score = Math.max(0, (right - wrong) / item.answers.length);
      return { correct: score === 1, score, feedback: score === 1 ? "" : `${right} of ${item.answers.length} right, ${wrong} wrong` };
    }
    case "ordering": {
      const a = answer as number[];
      const ok = a.filter((v, i) => v === i).length;
      return { correct: ok === item.steps.length, score: ok / item.steps.length, feedback: ok === item.steps.length ? "" : `${ok} of ${item.steps.length} steps in place` };
    }
    case "free": {
      if (Array.isArray(answer)) {
        const score = answer.length / item.keyPoints.length;
        return { correct: score >= 0.6, score, feedback: `You covered ${answer.length} of ${item.keyPoints.length} key points.` };
      }
      const text = String(answer).toLowerCase();
      const hit = item.keyPoints.filter((k) => text.includes(k)).length;
      return { correct: hit === item.keyPoints.length, score: hit / item.keyPoints.length, feedback: `${hit} of ${item.keyPoints.length} key points` };
    }
  }
}

function result(passed: boolean, messages: string[], score = passed ? 1 : 0): ExerciseResult {
  return { passed, score, messages, durationMs: 1 };
}

export const fakeGraders: Graders = {
  gradeItem,
  async gradeSql(_ex, sql) {
    if (/group\s+by/i.test(sql)) return result(true, ["rows match (visible data)", "rows match (hidden data)"]);
    return result(false, ["wrong number of rows: expected 3, got 1", "hidden data: wrong number of rows"], 0);
  },
  async gradeTs(_ex, code) {
    if (code.includes("while (true)")) return new Promise<ExerciseResult>(() => {}); // a hang the batch must survive
    if (code.includes("readFileSync")) throw new Error("sandbox: file system access is not allowed");
    if (code.includes("return a + b")) return result(true, ["add(1, 2) = 3", "add(-1, 1) = 0"]);
    return result(false, ["add(1, 2): expected 3, got 0", "add(-1, 1) = 0"], 0.5);
  },
};

export function tempDir(prefix = "c360-quiz-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes the fixture bank as a --bank JSON file and returns its path. */
export function writeBankFile(dir: string): string {
  const file = join(dir, "bank.json");
  writeFileSync(file, JSON.stringify(fixtureData(), null, 2));
  return file;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(s: string | undefined): string {
  return (s ?? "").replace(ANSI, "");
}

export const delay = (ms = 30) => new Promise<void>((r) => setTimeout(r, ms));
