/**
 * The learner's exercise folder: `<workdir>/exercises/<id>/<id>.sql|.ts` (the file they edit) and
 * a README.md with the statement. Starting never overwrites work; resetting backs the learner's
 * file up first (`<file>.bak-<timestamp>`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { backupFile, writeFileAtomic } from "../progress/atomic.js";
import type { Exercise } from "../types.js";
import { LearnError } from "../errors.js";

export const DEFAULT_WORKDIR = "./c360-exercises";

/** Exercise ids become directory names: only plain kebab/snake ids are accepted. */
export const SAFE_PATH_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/;

export function assertSafeId(id: string, what = "exercise id"): void {
  if (!SAFE_PATH_ID.test(id)) throw new LearnError("INVALID_EXERCISE_ID", `invalid ${what} ${JSON.stringify(id.slice(0, 60))} (letters, digits, - and _ only)`);
}

export function exerciseDir(workdir: string, ex: Pick<Exercise, "id">): string {
  assertSafeId(ex.id);
  return join(resolve(workdir), "exercises", ex.id);
}

export function exerciseFile(workdir: string, ex: Pick<Exercise, "id" | "kind">): string {
  return join(exerciseDir(workdir, ex), `${ex.id}.${ex.kind === "sql" ? "sql" : "ts"}`);
}

export function exerciseReadme(ex: Exercise): string {
  const hints = ex.hints.length > 0 ? `\n\nHints: run \`c360-quiz exercise hint ${ex.id}\` (${ex.hints.length} available).` : "";
  return `# ${ex.title}\n\n_${ex.concept} · ${ex.difficulty} · ${ex.kind === "sql" ? "Databricks SQL" : "TypeScript"}_\n\n${ex.statement.trim()}\n\nEdit \`${ex.id}.${ex.kind === "sql" ? "sql" : "ts"}\`, then run \`c360-quiz exercise check ${ex.id}\` (or open it in the \`c360-quiz\` TUI, which re-checks on every save).${hints}\n`;
}

export interface StartOutcome {
  file: string;
  created: boolean;
}

export function startExercise(workdir: string, ex: Exercise): StartOutcome {
  const dir = exerciseDir(workdir, ex);
  const file = exerciseFile(workdir, ex);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "README.md"), exerciseReadme(ex));
  if (existsSync(file)) return { file, created: false };
  writeFileSync(file, ex.starter, { flag: "wx" });
  return { file, created: true };
}

export function readExerciseCode(workdir: string, ex: Exercise): string | undefined {
  const file = exerciseFile(workdir, ex);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

export interface ResetOutcome {
  file: string;
  backup?: string;
}

export function resetExercise(workdir: string, ex: Exercise, now: Date = new Date()): ResetOutcome {
  const file = exerciseFile(workdir, ex);
  mkdirSync(exerciseDir(workdir, ex), { recursive: true });
  let backup: string | undefined;
  if (existsSync(file)) {
    if (readFileSync(file, "utf8") === ex.starter) return { file };
    backup = backupFile(file, now);
  }
  writeFileAtomic(file, ex.starter);
  return backup ? { file, backup } : { file };
}

/** The next hint to show, or undefined when all were shown. */
export function nextHint(ex: Exercise, shown: number): { hint: string; index: number } | undefined {
  const hint = ex.hints[shown];
  return hint === undefined ? undefined : { hint, index: shown };
}
