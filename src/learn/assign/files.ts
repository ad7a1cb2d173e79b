/** Reading assignment and submission files defensively (they travel by mail and LMS uploads). */
import { readFileSync, statSync } from "node:fs";
import { SAFE_PATH_ID } from "../session/workspace.js";
import { ASSIGNMENT_FORMAT, SUBMISSION_FORMAT, type AssignmentFile, type SubmissionFile, type Task } from "./types.js";
import { LearnError } from "../errors.js";

export const MAX_SUBMISSION_BYTES = 4 * 1024 * 1024;
export const MAX_CODE_CHARS = 256 * 1024;
export const MAX_ANSWER_CHARS = 16 * 1024;

function obj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): v is string {
  return typeof v === "string";
}

export function parseAssignment(raw: unknown, where = "assignment"): AssignmentFile {
  if (!obj(raw) || raw["format"] !== ASSIGNMENT_FORMAT) throw new LearnError("ASSIGNMENT_INVALID", `${where} is not a c360 assignment file (no "format": "${ASSIGNMENT_FORMAT}")`);
  if (raw["version"] !== 1) throw new LearnError("ASSIGNMENT_INVALID", `${where} has unsupported assignment version ${JSON.stringify(raw["version"])}`);
  if (!str(raw["id"]) || !SAFE_PATH_ID.test(raw["id"])) throw new LearnError("ASSIGNMENT_INVALID", `${where} has an invalid id`);
  if (!str(raw["title"]) || !str(raw["due"]) || Number.isNaN(Date.parse(raw["due"])) || !str(raw["seed"]) || !Array.isArray(raw["tasks"])) throw new LearnError("ASSIGNMENT_INVALID", `${where} is missing title, due, seed or tasks`);
  const seen = new Set<string>();
  for (const t of raw["tasks"] as unknown[]) {
    if (!obj(t) || (t["kind"] !== "exercise" && t["kind"] !== "item") || !str(t["id"]) || !SAFE_PATH_ID.test(t["id"]) || typeof t["points"] !== "number" || !(t["points"] >= 0)) {
      throw new LearnError("ASSIGNMENT_INVALID", `${where} has an invalid task ${JSON.stringify(obj(t) ? t["id"] : t)?.slice(0, 60)}`);
    }
    if (seen.has(t["id"])) throw new LearnError("ASSIGNMENT_INVALID", `${where} lists task ${t["id"]} twice`);
    seen.add(t["id"]);
    if (t["kind"] === "exercise" && (!str(t["starter"]) || (t["language"] !== "sql" && t["language"] !== "ts"))) throw new LearnError("ASSIGNMENT_INVALID", `${where}: exercise ${t["id"]} has no starter or language`);
  }
  const lp = raw["latePenalty"];
  if (lp !== null && lp !== undefined && (!obj(lp) || typeof lp["perDay"] !== "number" || typeof lp["max"] !== "number")) throw new LearnError("ASSIGNMENT_INVALID", `${where} has an invalid latePenalty`);
  return raw as unknown as AssignmentFile;
}

export function readAssignmentFile(file: string): AssignmentFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new LearnError("ASSIGNMENT_INVALID", `cannot read assignment ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LearnError("ASSIGNMENT_INVALID", `assignment ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseAssignment(raw, `assignment ${file}`);
}

/** Validates a submission against its assignment; throws a one-line reason. */
export function parseSubmission(raw: unknown, a: AssignmentFile): SubmissionFile {
  if (!obj(raw) || raw["format"] !== SUBMISSION_FORMAT) throw new LearnError("ASSIGNMENT_INVALID", `not a c360 submission (no "format": "${SUBMISSION_FORMAT}")`);
  if (raw["version"] !== 1) throw new LearnError("ASSIGNMENT_INVALID", `unsupported submission version ${JSON.stringify(raw["version"])?.slice(0, 20)}`);
  if (raw["assignmentId"] !== a.id) throw new LearnError("ASSIGNMENT_INVALID", `submission is for assignment ${JSON.stringify(raw["assignmentId"])?.slice(0, 80)}, not ${a.id}`);
  const learner = raw["learner"];
  if (!str(learner) || learner.trim() === "" || learner.length > 200) throw new LearnError("ASSIGNMENT_INVALID", "submission has no valid learner name");
  const at = raw["submittedAt"];
  if (!str(at) || Number.isNaN(Date.parse(at))) throw new LearnError("ASSIGNMENT_INVALID", "submission has no valid submittedAt timestamp");
  const answersIn = obj(raw["answers"]) ? raw["answers"] : {};
  const codeIn = obj(raw["code"]) ? raw["code"] : {};
  const answers: Record<string, string> = {};
  const code: Record<string, string> = {};
  // Only the assignment's own task ids are copied, so odd keys ("__proto__", paths) go nowhere.
  for (const t of a.tasks) {
    if (t.kind === "item" && Object.hasOwn(answersIn, t.id)) {
      const v = answersIn[t.id];
      if (str(v)) answers[t.id] = v.slice(0, MAX_ANSWER_CHARS);
      else if (typeof v === "number" || typeof v === "boolean") answers[t.id] = String(v);
    }
    if (t.kind === "exercise" && Object.hasOwn(codeIn, t.id)) {
      const v = codeIn[t.id];
      if (str(v)) {
        if (v.length > MAX_CODE_CHARS) throw new LearnError("ASSIGNMENT_INVALID", `code for ${t.id} is larger than ${MAX_CODE_CHARS / 1024} KiB`);
        code[t.id] = v;
      }
    }
  }
  return {
    format: SUBMISSION_FORMAT,
    version: 1,
    assignmentId: a.id,
    assignmentTitle: str(raw["assignmentTitle"]) ? raw["assignmentTitle"] : a.title,
    learner: learner.trim().replace(/[\r\n\t]+/g, " "),
    submittedAt: new Date(at).toISOString(),
    answers,
    code,
    tool: str(raw["tool"]) ? raw["tool"].slice(0, 100) : "",
  };
}

export function readSubmissionFile(file: string, a: AssignmentFile): SubmissionFile {
  const size = statSync(file).size;
  if (size > MAX_SUBMISSION_BYTES) throw new LearnError("ASSIGNMENT_INVALID", `file is ${Math.round(size / 1024)} KiB, over the ${MAX_SUBMISSION_BYTES / 1024 / 1024} MiB limit`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new LearnError("ASSIGNMENT_INVALID", `invalid JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  return parseSubmission(raw, a);
}

export function exerciseTasks(a: AssignmentFile): Array<Task & { kind: "exercise" }> {
  return a.tasks.filter((t): t is Task & { kind: "exercise" } => t.kind === "exercise");
}

export function itemTasks(a: AssignmentFile): Array<Task & { kind: "item" }> {
  return a.tasks.filter((t): t is Task & { kind: "item" } => t.kind === "item");
}
