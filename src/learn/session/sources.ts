/**
 * Where the quiz app gets its content and graders. Everything is injectable: the TUI and the CLI
 * take a `LearnSource`, tests build one from in-memory fixtures, and `--bank <file.json>` loads a
 * bank from a single JSON file. The default source reads the project's quizzes/ (via
 * src/learn/bank/load.ts), the interview guide (src/learn/guide/parse.ts) and the graders
 * (src/learn/grade/index.ts), imported lazily so that the CLI starts fast and commands that do not
 * need them (stats, --help) never load DuckDB.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Answer, Exercise, ExerciseResult, Flashcard, ItemGrade, QuizItem } from "../types.js";
import { LearnError } from "../errors.js";

export interface LearnData {
  items: QuizItem[];
  exercises: Exercise[];
  flashcards: Flashcard[];
}

export interface Graders {
  gradeItem(item: QuizItem, answer: Answer): ItemGrade | Promise<ItemGrade>;
  gradeSql(exercise: Exercise & { kind: "sql" }, sql: string, opts?: Record<string, unknown>): Promise<ExerciseResult>;
  gradeTs(exercise: Exercise & { kind: "ts" }, code: string, opts?: Record<string, unknown>): Promise<ExerciseResult>;
}

export interface LearnSource {
  load(): Promise<LearnData>;
  graders(): Promise<Graders>;
}

/** The project root (holds quizzes/ and guide/), from src/learn/session or dist/learn/session. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

async function importModule<T>(load: () => Promise<T>, what: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw new LearnError("BANK_UNREADABLE", `cannot load the ${what}: ${(e as Error).message.split("\n")[0]}`);
  }
}

export async function defaultGraders(): Promise<Graders> {
  const g = await importModule(() => import("../grade/index.js"), "graders");
  return { gradeItem: g.gradeItem, gradeSql: g.gradeSql, gradeTs: g.gradeTs };
}

export interface SourceOptions {
  /** Content root holding quizzes/ and guide/ (default: this project). */
  root?: string | undefined;
  /** A JSON file `{items, exercises, flashcards?}` used instead of quizzes/. */
  bankFile?: string | undefined;
  /** Markdown of the interview guide (default: <project>/guide/INTERVIEW_GUIDE.md). */
  guideFile?: string | undefined;
  /** A module exporting gradeItem/gradeSql/gradeTs used instead of src/learn/grade (tests, custom graders). */
  gradersModule?: string | undefined;
}

function readBankFile(file: string): LearnData {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new LearnError("BANK_UNREADABLE", `cannot read bank file ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  const o = raw as Partial<LearnData>;
  if (typeof raw !== "object" || raw === null || !Array.isArray(o.items)) throw new LearnError("BANK_UNREADABLE", `bank file ${file} must hold {"items": [...], "exercises": [...]}`);
  return { items: o.items, exercises: Array.isArray(o.exercises) ? o.exercises : [], flashcards: Array.isArray(o.flashcards) ? o.flashcards : [] };
}

export function defaultSource(opts: SourceOptions = {}): LearnSource {
  let cached: Promise<LearnData> | undefined;
  const load = async (): Promise<LearnData> => {
    if (opts.bankFile) {
      const data = readBankFile(opts.bankFile);
      if (data.flashcards.length === 0) data.flashcards = (await import("../guide/parse.js")).bankFlashcards(data.items);
      return data;
    }
    const { loadBank } = await importModule(() => import("../bank/load.js"), "question bank");
    const { items, exercises } = loadBank(opts.root ? join(opts.root, "quizzes") : undefined);
    const g = await importModule(() => import("../guide/parse.js"), "guide parser");
    const guidePath = opts.guideFile ?? join(opts.root ?? PROJECT_ROOT, "guide", "INTERVIEW_GUIDE.md");
    let guideCards: Flashcard[] = [];
    try {
      // Lenient: one malformed guide entry must not take the flashcards down.
      guideCards = g.guideFlashcards(g.parseGuide(readFileSync(guidePath, "utf8"), { strict: false }));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    const byId = new Map<string, Flashcard>();
    for (const c of [...guideCards, ...g.bankFlashcards(items)]) if (!byId.has(c.id)) byId.set(c.id, c);
    return { items, exercises, flashcards: [...byId.values()] };
  };
  return {
    load: () => (cached ??= load()),
    graders: opts.gradersModule ? () => importModule(async () => (await import(pathToFileURL(resolve(opts.gradersModule!)).href)) as Graders, "graders module") : defaultGraders,
  };
}

/** A source over in-memory data (tests, embedding). */
export function staticSource(data: Partial<LearnData>, graders: Graders): LearnSource {
  const full: LearnData = { items: data.items ?? [], exercises: data.exercises ?? [], flashcards: data.flashcards ?? [] };
  return { load: async () => full, graders: async () => graders };
}

/** Grades exercise code with the grader that matches its kind; grader crashes become a failed result. */
export async function gradeExercise(graders: Graders, ex: Exercise, code: string, opts?: Record<string, unknown>): Promise<ExerciseResult> {
  const t0 = Date.now();
  try {
    return ex.kind === "sql" ? await graders.gradeSql(ex, code, opts) : await graders.gradeTs(ex, code, opts);
  } catch (e) {
    return { passed: false, score: 0, messages: [`grader error: ${(e as Error).message.split("\n")[0]}`], durationMs: Date.now() - t0 };
  }
}
