/**
 * `c360-quiz grade <submissions-dir> --assignment a.json`: batch-grades every submission with the
 * bank's hidden material (answer keys, hidden tests, hidden setup), gives partial credit with a
 * reason for every lost point, applies the late penalty and writes gradebook.csv,
 * gradebook.json and feedback/<learner>.md. One broken or hostile submission (invalid JSON, a
 * grader crash, a hang) is reported for that learner and never stops the batch; learner code only
 * ever runs through gradeSql/gradeTs (gradeTs sandboxes it), one submission at a time.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../progress/atomic.js";
import { describeCorrect, parseAnswerText } from "../session/present.js";
import { gradeExercise, type Graders, type LearnData } from "../session/sources.js";
import type { Exercise, QuizItem } from "../types.js";
import { exerciseFingerprint, itemFingerprint, slug } from "./create.js";
import { readSubmissionFile } from "./files.js";
import { daysLate, describePenalty, penaltyFraction } from "./penalty.js";
import { ASSIGNMENT_FORMAT, type AssignmentFile, type ExerciseTask, type Gradebook, type ItemTask, type LearnerGrade, type SubmissionFile, type TaskGrade } from "./types.js";
import { LearnError, plainMessage } from "../errors.js";

export interface GradeBatchOptions {
  assignment: AssignmentFile;
  /** Path of the assignment file, so that it is skipped if it sits among the submissions. */
  assignmentPath?: string;
  submissionsDir: string;
  outDir: string;
  data: Pick<LearnData, "items" | "exercises">;
  graders: Graders;
  /** Take the submission time from the file's modification time instead of its own timestamp. */
  useMtime?: boolean;
  /** Per exercise; a grader that has not answered by then is abandoned (default 60 s). */
  timeoutMs?: number;
  graderOpts?: Record<string, unknown>;
  now?: Date;
  log?: (line: string) => void;
}

export interface GradeBatchResult extends Gradebook {
  warnings: string[];
  files: { csv: string; json: string; feedbackDir: string };
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

function fmt(x: number): string {
  return String(r2(x));
}

function oneLine(s: string, max = 300): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<"timeout">((res) => {
    timer = setTimeout(() => res("timeout"), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function gradeItemTask(t: ItemTask, item: QuizItem, sub: SubmissionFile, a: AssignmentFile, graders: Graders): Promise<TaskGrade> {
  const g: TaskGrade = { id: t.id, kind: "item", points: t.points, earned: 0, lost: [], messages: [] };
  const text = Object.hasOwn(sub.answers, t.id) ? sub.answers[t.id] : undefined;
  if (text === undefined) {
    g.lost.push(`-${fmt(t.points)}: not answered. Expected: ${oneLine(describeCorrect(item))}.`);
    return g;
  }
  let answer;
  try {
    answer = parseAnswerText(item, text, a.seed);
  } catch (e) {
    g.lost.push(`-${fmt(t.points)}: could not read the answer "${oneLine(text, 60)}" (${(e as Error).message}). Expected: ${oneLine(describeCorrect(item))}.`);
    return g;
  }
  try {
    let res = await graders.gradeItem(item, answer);
    // Free response: the grader only reveals the reference for text. Score the key points the text
    // mentions (the grader's own detection) and say so; the instructor may adjust.
    const likely = (res as { likelyCovered?: unknown }).likelyCovered;
    if (item.type === "free" && Array.isArray(likely) && likely.every((x) => typeof x === "number")) {
      res = await graders.gradeItem(item, likely as number[]);
      g.messages.push(`free response auto-scored from the key points it mentions (${likely.length}/${item.keyPoints.length}); your instructor may review it`);
    }
    const score = Math.min(1, Math.max(0, Number.isFinite(res.score) ? res.score : 0));
    g.earned = r2(t.points * score);
    const feedback = oneLine(res.feedback ?? "", 600);
    if (feedback) g.messages.push(feedback);
    if (g.earned < t.points) {
      // Real grader feedback already names the right answer and explains it; fakes may not.
      const expected = describeCorrect(item);
      const parts = [feedback || "incorrect."];
      if (item.type !== "free" && !feedback.includes(oneLine(expected).slice(0, 40))) parts.push(`Expected: ${oneLine(expected)}.`);
      if (!feedback.includes(oneLine(item.explanation).slice(0, 60))) parts.push(oneLine(item.explanation, 400));
      g.lost.push(`-${fmt(t.points - g.earned)}: ${parts.join(" ")}`);
    }
  } catch (e) {
    g.lost.push(`-${fmt(t.points)}: grader error (${oneLine((e as Error).message, 120)}); ask your instructor to review.`);
  }
  return g;
}

async function gradeExerciseTask(t: ExerciseTask, ex: Exercise, sub: SubmissionFile, opts: GradeBatchOptions): Promise<TaskGrade> {
  const g: TaskGrade = { id: t.id, kind: "exercise", points: t.points, earned: 0, lost: [], messages: [] };
  const code = Object.hasOwn(sub.code, t.id) ? sub.code[t.id]! : undefined;
  if (code === undefined || code.trim() === "") {
    g.lost.push(`-${fmt(t.points)}: no code submitted.`);
    return g;
  }
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const res = await withTimeout(gradeExercise(opts.graders, ex, code, opts.graderOpts), timeoutMs);
  if (res === "timeout") {
    g.lost.push(`-${fmt(t.points)}: grading stopped after ${Math.round(timeoutMs / 1000)} s (an infinite loop or a very slow query?).`);
    return g;
  }
  const score = Math.min(1, Math.max(0, Number.isFinite(res.score) ? res.score : 0));
  g.earned = r2(t.points * (res.passed ? 1 : score));
  g.messages = res.messages.map((m) => oneLine(m, 500));
  if (g.earned < t.points) {
    const detail = g.messages.length > 0 ? g.messages.join("; ") : "the hidden tests did not pass";
    g.lost.push(`-${fmt(t.points - g.earned)}: ${oneLine(detail, 600)}`);
  }
  return g;
}

function feedbackMarkdown(a: AssignmentFile, lg: LearnerGrade): string {
  const lines = [`# ${a.title} — feedback for ${lg.learner}`, ""];
  if (lg.status === "error") {
    lines.push(`Your submission (\`${lg.file}\`) could not be graded: **${lg.error}**.`, "", "Score: 0 / " + fmt(lg.max), "", "Please fix the file (or submit again with `c360-quiz submit`) and tell your instructor.", "");
    return lines.join("\n");
  }
  lines.push(`**Score: ${fmt(lg.final)} / ${fmt(lg.max)}**${lg.max > 0 ? ` (${Math.round((lg.final / lg.max) * 100)}%)` : ""}`, "");
  lines.push(`Submitted ${lg.submittedAt ?? "?"}; due ${a.due}.`);
  if (lg.daysLate > 0) {
    lines.push(`Late by ${lg.daysLate} day${lg.daysLate === 1 ? "" : "s"}: ${describePenalty(a.latePenalty)} → −${Math.round(lg.penalty * 100)}% (${fmt(lg.raw)} → ${fmt(lg.final)}).`);
  }
  lines.push("");
  for (const w of lg.warnings) lines.push(`> Note: ${w}`);
  if (lg.warnings.length > 0) lines.push("");
  lines.push("| task | points |", "|---|---|");
  for (const t of lg.tasks) lines.push(`| ${t.id} | ${fmt(t.earned)} / ${fmt(t.points)} |`);
  lines.push("");
  for (const t of lg.tasks) {
    lines.push(`## ${t.id} — ${fmt(t.earned)} / ${fmt(t.points)}`, "");
    if (t.lost.length === 0) lines.push("Full marks.");
    for (const l of t.lost) lines.push(`- ${l}`);
    if (t.kind === "exercise" && t.messages.length > 0) {
      lines.push("", "Checks:");
      for (const m of t.messages) lines.push(`- ${m}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** A CSV cell, quoted when needed, with spreadsheet formula injection neutralised. */
export function csvCell(v: string | number | undefined): string {
  if (v === undefined) return "";
  let s = typeof v === "number" ? String(v) : v;
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function gradebookCsv(a: AssignmentFile, learners: LearnerGrade[]): string {
  const head = ["learner", "file", "status", "submitted_at", "days_late", "penalty_pct", "raw_points", "final_points", "max_points", "percent", ...a.tasks.map((t) => t.id), "error"];
  const rows = learners.map((l) => {
    const byId = new Map(l.tasks.map((t) => [t.id, t.earned]));
    return [
      csvCell(l.learner),
      csvCell(l.file),
      l.status,
      csvCell(l.submittedAt),
      String(l.daysLate),
      String(Math.round(l.penalty * 10000) / 100),
      fmt(l.raw),
      fmt(l.final),
      fmt(l.max),
      l.max > 0 ? String(Math.round((l.final / l.max) * 10000) / 100) : "0",
      ...a.tasks.map((t) => (byId.has(t.id) ? fmt(byId.get(t.id)!) : "")),
      csvCell(l.error),
    ].join(",");
  });
  return [head.join(","), ...rows].join("\n") + "\n";
}

export async function gradeSubmissions(opts: GradeBatchOptions): Promise<GradeBatchResult> {
  const a = opts.assignment;
  const log = opts.log ?? (() => {});
  const exById = new Map(opts.data.exercises.map((e) => [e.id, e]));
  const itById = new Map(opts.data.items.map((i) => [i.id, i]));
  const missing = a.tasks.filter((t) => (t.kind === "exercise" ? !exById.has(t.id) : !itById.has(t.id))).map((t) => t.id);
  if (missing.length > 0) throw new LearnError("BANK_MISMATCH", `the bank has no ${missing.join(", ")}; grade with the bank the assignment was created from (--bank/--root)`);
  const warnings: string[] = [];
  for (const t of a.tasks) {
    const fp = t.kind === "exercise" ? exerciseFingerprint(exById.get(t.id)!) : itemFingerprint(itById.get(t.id)!);
    if (fp !== t.fingerprint) warnings.push(`${t.id} changed in the bank since the assignment was created; grading uses the current version`);
  }
  for (const w of warnings) log(`warning: ${w}`);

  const dir = resolve(opts.submissionsDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith(".json")).sort();
  } catch (e) {
    throw new LearnError("SUBMISSIONS_UNREADABLE", `cannot read submissions folder ${opts.submissionsDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Check the path.`);
  }
  const skip = new Set([opts.assignmentPath ? resolve(opts.assignmentPath) : "", resolve(opts.outDir, "gradebook.json")]);
  const max = r2(a.tasks.reduce((s, t) => s + t.points, 0));
  const due = new Date(a.due);
  const usedFeedback = new Set<string>();
  const feedbackName = (base: string): string => {
    let name = `${slug(base)}.md`;
    for (let i = 2; usedFeedback.has(name); i++) name = `${slug(base)}-${i}.md`;
    usedFeedback.add(name);
    return name;
  };
  const learners: LearnerGrade[] = [];
  const feedbackTexts: Array<[string, string]> = [];

  for (const name of names) {
    const file = join(dir, name);
    if (skip.has(file)) continue;
    let sub: SubmissionFile;
    try {
      if (!statSync(file).isFile()) continue;
      sub = readSubmissionFile(file, a);
    } catch (e) {
      const msg = oneLine(plainMessage(e), 200);
      if (/no "format": "c360-submission"/.test(msg) && isAssignmentFile(file)) continue;
      const lg: LearnerGrade = { learner: basename(name, ".json").replace(/-submission$/, ""), file: name, status: "error", error: msg, daysLate: 0, penalty: 0, raw: 0, final: 0, max, tasks: [], feedback: "", warnings: [] };
      lg.feedback = feedbackName(lg.learner);
      learners.push(lg);
      feedbackTexts.push([lg.feedback, feedbackMarkdown(a, lg)]);
      log(`${name}: ERROR ${msg}`);
      continue;
    }
    const lgWarnings: string[] = [];
    let submittedAt = new Date(sub.submittedAt);
    if (opts.useMtime) submittedAt = statSync(file).mtime;
    const tasks: TaskGrade[] = [];
    for (const t of a.tasks) {
      try {
        tasks.push(t.kind === "item" ? await gradeItemTask(t, itById.get(t.id)!, sub, a, opts.graders) : await gradeExerciseTask(t, exById.get(t.id)!, sub, opts));
      } catch (e) {
        tasks.push({ id: t.id, kind: t.kind, points: t.points, earned: 0, lost: [`-${fmt(t.points)}: grading failed (${oneLine((e as Error).message, 120)})`], messages: [] });
      }
    }
    const raw = r2(tasks.reduce((s, t) => s + t.earned, 0));
    const days = daysLate(submittedAt, due);
    const penalty = penaltyFraction(a.latePenalty, days);
    const lg: LearnerGrade = {
      learner: sub.learner,
      file: name,
      status: "graded",
      submittedAt: submittedAt.toISOString(),
      daysLate: days,
      penalty,
      raw,
      final: r2(raw * (1 - penalty)),
      max,
      tasks,
      feedback: feedbackName(sub.learner),
      warnings: lgWarnings,
    };
    learners.push(lg);
    feedbackTexts.push([lg.feedback, feedbackMarkdown(a, lg)]);
    log(`${name}: ${lg.learner} ${fmt(lg.final)}/${fmt(max)}${days > 0 ? ` (${days} day${days === 1 ? "" : "s"} late, -${Math.round(penalty * 100)}%)` : ""}`);
  }

  const out = resolve(opts.outDir);
  const feedbackDir = join(out, "feedback");
  mkdirSync(feedbackDir, { recursive: true });
  for (const [n, text] of feedbackTexts) writeFileSync(join(feedbackDir, n), text);
  const book: Gradebook = {
    assignment: { id: a.id, title: a.title, due: a.due, totalPoints: max, latePenalty: a.latePenalty },
    gradedAt: (opts.now ?? new Date()).toISOString(),
    learners,
  };
  const csv = join(out, "gradebook.csv");
  const json = join(out, "gradebook.json");
  writeFileAtomic(csv, gradebookCsv(a, learners));
  writeFileAtomic(json, JSON.stringify({ ...book, warnings }, null, 2) + "\n");
  return { ...book, warnings, files: { csv, json, feedbackDir } };
}

function isAssignmentFile(file: string): boolean {
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as { format?: unknown };
    return raw.format === ASSIGNMENT_FORMAT;
  } catch {
    return false;
  }
}
