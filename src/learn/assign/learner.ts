/**
 * The learner's side of an assignment: `start` lays out a work folder (ASSIGNMENT.md, answers.yaml,
 * one starter file per exercise) and `submit` packs answers + code + a timestamp into
 * `<name>-submission.json`. Neither ever overwrites the learner's work.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { letter } from "../session/present.js";
import { assertSafeId } from "../session/workspace.js";
import { slug } from "./create.js";
import { exerciseTasks, itemTasks } from "./files.js";
import { describePenalty } from "./penalty.js";
import { SUBMISSION_FORMAT, type AssignmentFile, type ExerciseTask, type SubmissionFile } from "./types.js";
import { LearnError } from "../errors.js";

export const ANSWERS_FILE = "answers.yaml";
export const TOOL = "c360-quiz 0.1.0";

export function defaultWorkDir(a: AssignmentFile): string {
  return resolve(a.id);
}

export function taskFile(dir: string, t: Pick<ExerciseTask, "id" | "language">): string {
  assertSafeId(t.id);
  return join(dir, "exercises", t.id, `${t.id}.${t.language}`);
}

function comment(text: string, indent = ""): string {
  return text
    .trim()
    .split("\n")
    .map((l) => `#${indent}${l ? " " + l : ""}`.trimEnd())
    .join("\n");
}

export function answersTemplate(a: AssignmentFile): string {
  const out: string[] = [
    `# Answers for "${a.title}" (due ${a.due}; ${describePenalty(a.latePenalty)}).`,
    "# Write each answer after its colon and save. Formats:",
    "#   one choice: B    several choices: A,C    true/false: true    ordering: C,A,B",
    "#   free text: quote it (\"...\") or use a block:  my-id: |",
    "#                                                    first line",
    "# Then run: c360-quiz submit <assignment.json> --name \"Your Name\"",
    "",
  ];
  itemTasks(a).forEach((t, n) => {
    out.push(comment(`${n + 1}. [${t.points} pt${t.points === 1 ? "" : "s"}] (${t.type}) ${t.prompt}`));
    (t.choices ?? t.steps ?? []).forEach((c, i) => out.push(comment(`${letter(i)}. ${c}`, "   ")));
    out.push(comment(`answer: ${t.answerFormat}`, "   "));
    out.push(`${t.id}:`, "");
  });
  return out.join("\n");
}

export function assignmentMarkdown(a: AssignmentFile): string {
  const lines = [`# ${a.title}`, "", `Due: **${a.due}** (${describePenalty(a.latePenalty)}) · ${a.totalPoints} points`, ""];
  const ex = exerciseTasks(a);
  if (ex.length > 0) {
    lines.push("## Exercises", "");
    for (const t of ex) {
      lines.push(`### ${t.title} (${t.points} pts)`, "", `File: \`exercises/${t.id}/${t.id}.${t.language}\``, "", t.statement.trim(), "");
      if (t.setup) lines.push("Tables used (setup):", "", "```sql", t.setup.trim(), "```", "");
    }
  }
  const it = itemTasks(a);
  if (it.length > 0) {
    lines.push("## Questions", "", `Answer in \`${ANSWERS_FILE}\`.`, "");
    it.forEach((t, n) => {
      lines.push(`${n + 1}. **${t.prompt.trim()}** (${t.points} pts, \`${t.id}\`)`);
      (t.choices ?? t.steps ?? []).forEach((c, i) => lines.push(`   - ${letter(i)}. ${c}`));
      lines.push("");
    });
  }
  return lines.join("\n");
}

export interface StartResult {
  dir: string;
  created: string[];
  kept: string[];
}

export function startAssignment(a: AssignmentFile, dir: string = defaultWorkDir(a)): StartResult {
  const created: string[] = [];
  const kept: string[] = [];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "ASSIGNMENT.md"), assignmentMarkdown(a));
  const put = (file: string, content: string) => {
    if (existsSync(file)) {
      kept.push(file);
      return;
    }
    writeFileSync(file, content, { flag: "wx" });
    created.push(file);
  };
  if (itemTasks(a).length > 0) put(join(dir, ANSWERS_FILE), answersTemplate(a));
  for (const t of exerciseTasks(a)) {
    const file = taskFile(dir, t);
    mkdirSync(join(dir, "exercises", t.id), { recursive: true });
    put(file, t.starter);
  }
  return { dir, created, kept };
}

function answerToText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v.trim() === "" ? undefined : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join(",");
  return undefined;
}

export interface SubmitResult {
  submission: SubmissionFile;
  warnings: string[];
}

export function buildSubmission(a: AssignmentFile, opts: { dir: string; name: string; now?: Date }): SubmitResult {
  const name = opts.name.trim();
  if (name === "") throw new LearnError("SUBMISSION_INVALID", "submit needs --name \"Your Name\"");
  if (!existsSync(opts.dir)) throw new LearnError("SUBMISSION_INVALID", `no work folder ${opts.dir}; run c360-quiz start first (or pass --dir)`);
  const warnings: string[] = [];
  const answers: Record<string, string> = {};
  const items = itemTasks(a);
  if (items.length > 0) {
    const file = join(opts.dir, ANSWERS_FILE);
    let parsed: unknown = {};
    try {
      parsed = parseYaml(readFileSync(file, "utf8")) ?? {};
    } catch (e) {
      throw new LearnError("SUBMISSION_INVALID", `cannot read ${file}: ${(e as Error).message.split("\n")[0]}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new LearnError("SUBMISSION_INVALID", `${file} must map question ids to answers`);
    const rec = parsed as Record<string, unknown>;
    for (const t of items) {
      const text = Object.hasOwn(rec, t.id) ? answerToText(rec[t.id]) : undefined;
      if (text === undefined) warnings.push(`question ${t.id} is unanswered`);
      else answers[t.id] = text;
    }
  }
  const code: Record<string, string> = {};
  for (const t of exerciseTasks(a)) {
    const file = taskFile(opts.dir, t);
    if (!existsSync(file)) {
      warnings.push(`exercise ${t.id}: ${file} is missing`);
      continue;
    }
    const text = readFileSync(file, "utf8");
    if (text === t.starter) warnings.push(`exercise ${t.id} is unchanged from the starter`);
    code[t.id] = text;
  }
  return {
    submission: {
      format: SUBMISSION_FORMAT,
      version: 1,
      assignmentId: a.id,
      assignmentTitle: a.title,
      learner: name,
      submittedAt: (opts.now ?? new Date()).toISOString(),
      answers,
      code,
      tool: TOOL,
    },
    warnings,
  };
}

export function submissionFileName(name: string): string {
  return `${slug(name)}-submission.json`;
}
