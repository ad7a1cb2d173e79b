/**
 * Loads the question bank from quizzes/: one YAML list of QuizItem per concept
 * (quizzes/items/<concept>.yaml) and one folder per exercise (quizzes/exercises/<id>/).
 * Everything is validated against the JSON Schemas in quizzes/schema/ plus the checks a schema
 * cannot express (answer indexes in range, ids unique, files present). A problem fails the whole
 * load with a BankError naming the file, the line and the JSON path, e.g.
 *
 *   quizzes/items/delta.yaml:42 $[3].answer (item delta-vacuum-default): must be integer
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { LineCounter, parseDocument, isNode, type Document } from "yaml";
import { CONCEPTS, type Exercise, type QuizItem, type SqlExercise, type TsExercise } from "../types.js";

/** A SQL exercise as loaded: the contract's fields plus the optional `ignoreColumns` of exercise.yaml. */
export type SqlExerciseSpec = SqlExercise & { ignoreColumns?: string[]; tags?: string[] };
export type TsExerciseSpec = TsExercise & { tags?: string[] };

export interface Bank {
  items: QuizItem[];
  exercises: Exercise[];
}

export interface BankProblem {
  /** Path relative to the folder holding quizzes/, e.g. "quizzes/items/delta.yaml". */
  file: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** JSON path of the offending value, e.g. "$[3].answer" ("$" for the whole file). */
  path: string;
  message: string;
}

export class BankError extends Error {
  constructor(readonly problems: BankProblem[]) {
    const shown = problems.slice(0, 20).map(formatProblem);
    const more = problems.length > 20 ? [`… and ${problems.length - 20} more`] : [];
    super(`The question bank is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${[...shown, ...more].map((l) => `  ${l}`).join("\n")}`);
    this.name = "BankError";
  }
}

export function formatProblem(p: BankProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ""} ${p.path}: ${p.message}`;
}

/** <repo>/quizzes, found from this module (works from src/ with tsx and from dist/). */
export function defaultQuizzesRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, "../../../quizzes");
}

const SQL_FILES = ["statement.md", "setup.sql", "hidden-setup.sql", "starter.sql", "solution.sql"] as const;
const TS_FILES = ["statement.md", "starter.ts", "solution.ts", "tests.ts"] as const;

interface Validators {
  item: ValidateFunction;
  exercise: ValidateFunction;
}

const validatorCache = new Map<string, Validators>();

function validators(root: string): Validators {
  const key = resolve(root);
  let v = validatorCache.get(key);
  if (!v) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    const read = (name: string) => JSON.parse(readFileSync(join(root, "schema", name), "utf8")) as object;
    v = { item: ajv.compile(read("item.schema.json")), exercise: ajv.compile(read("exercise.schema.json")) };
    validatorCache.set(key, v);
  }
  return v;
}

/** "$[3].answer" from ajv's "/3/answer" (relative to `base`). */
function jsonPath(base: (string | number)[], instancePath: string): { path: string; segments: (string | number)[] } {
  const rest = instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const segments = [...base, ...rest];
  return { path: "$" + segments.map((s) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_][\w]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join(""), segments };
}

function describeAjvError(e: ErrorObject): { extra: string; message: string } {
  // Point at the offending property itself where ajv reports it on the parent.
  if (e.keyword === "additionalProperties") return { extra: `/${(e.params as { additionalProperty: string }).additionalProperty}`, message: "is not allowed here (unknown property)" };
  if (e.keyword === "required") return { extra: "", message: `is missing required property '${(e.params as { missingProperty: string }).missingProperty}'` };
  if (e.keyword === "false schema") return { extra: "", message: "is not allowed for this item type" };
  if (e.keyword === "enum") return { extra: "", message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(", ")}` };
  return { extra: "", message: e.message ?? e.keyword };
}

class Collector {
  readonly problems: BankProblem[] = [];
  constructor(private readonly base: string) {}

  rel(file: string): string {
    return relative(this.base, file) || file;
  }

  add(file: string, path: string, message: string, line?: number): void {
    this.problems.push({ file: this.rel(file), path, message, ...(line ? { line } : {}) });
  }

  /** Adds ajv errors, de-duplicating the noise of if/then branches. */
  addAjv(file: string, errors: ErrorObject[], base: (string | number)[], lineOf: (segments: (string | number)[]) => number | undefined, label?: string): void {
    const seen = new Set<string>();
    for (const e of errors) {
      if (e.keyword === "if") continue; // "must match then schema": the real cause is reported separately
      const d = describeAjvError(e);
      const { path, segments } = jsonPath(base, e.instancePath + d.extra);
      const msg = `${d.message}${label ? ` (${label})` : ""}`;
      const k = `${path} ${msg}`;
      if (seen.has(k)) continue;
      seen.add(k);
      this.add(file, path, msg, lineOf(segments));
    }
  }
}

interface ParsedYaml {
  value: unknown;
  lineOf: (segments: (string | number)[]) => number | undefined;
}

function parseYaml(file: string, text: string, c: Collector): ParsedYaml | undefined {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) c.add(file, "$", `YAML syntax error: ${e.message.split("\n")[0]}`, e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line);
    return undefined;
  }
  const lineOf = (segments: (string | number)[]) => {
    for (let n = segments.length; n >= 0; n--) {
      const node = doc.getIn(segments.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value: doc.toJS(), lineOf };
}

function readText(file: string, c: Collector): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    c.add(file, "$", "file is missing");
    return undefined;
  }
}

/** Checks a schema cannot express: answer indexes in range, distinct steps, etc. */
function semanticItemChecks(item: QuizItem, at: (string | number)[], file: string, c: Collector, lineOf: ParsedYaml["lineOf"]): void {
  const add = (sub: (string | number)[], msg: string) => {
    const { path, segments } = jsonPath([...at, ...sub], "");
    c.add(file, path, `${msg} (item ${item.id})`, lineOf(segments));
  };
  if (item.type === "single" && item.answer >= item.choices.length) add(["answer"], `answer ${item.answer} is out of range: there are ${item.choices.length} choices (indexes start at 0)`);
  if (item.type === "multiple") {
    item.answers.forEach((a, i) => { if (a >= item.choices.length) add(["answers", i], `answer ${a} is out of range: there are ${item.choices.length} choices (indexes start at 0)`); });
    if (item.answers.length === item.choices.length) add(["answers"], "every choice is correct; make at least one choice wrong");
  }
}

function loadItems(root: string, v: Validators, c: Collector): QuizItem[] {
  const dir = join(root, "items");
  if (!existsSync(dir)) {
    c.add(dir, "$", "folder is missing (expected quizzes/items/<concept>.yaml files)");
    return [];
  }
  const topics = new Set<string>([...CONCEPTS, "cross-cutting"]);
  const items: QuizItem[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!/\.ya?ml$/.test(name)) {
      if (statSync(file).isFile() && !name.startsWith(".")) c.add(file, "$", "unexpected file: quizzes/items holds only <concept>.yaml files");
      continue;
    }
    const concept = name.replace(/\.ya?ml$/, "");
    if (!topics.has(concept)) c.add(file, "$", `file name must be a concept (${[...topics].join(", ")})`);
    const text = readText(file, c);
    if (text === undefined) continue;
    const parsed = parseYaml(file, text, c);
    if (!parsed) continue;
    const list = parsed.value;
    if (list === null || list === undefined) continue; // an empty file is an empty list
    if (!Array.isArray(list)) {
      c.add(file, "$", "must be a YAML list of quiz items (each entry starting with '- id: …')", 1);
      continue;
    }
    list.forEach((raw: unknown, i) => {
      const id = raw && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : undefined;
      if (!v.item(raw)) {
        c.addAjv(file, v.item.errors ?? [], [i], parsed.lineOf, id ? `item ${id}` : undefined);
        return;
      }
      const item = raw as QuizItem;
      if (topics.has(concept) && item.concept !== concept) {
        const { path, segments } = jsonPath([i, "concept"], "");
        c.add(file, path, `is '${item.concept}' but the file is ${name}: put the item in items/${item.concept}.yaml (item ${item.id})`, parsed.lineOf(segments));
      }
      const before = c.problems.length;
      semanticItemChecks(item, [i], file, c, parsed.lineOf);
      if (c.problems.length === before) items.push(item);
    });
  }
  return items;
}

function loadExercises(root: string, v: Validators, c: Collector): Exercise[] {
  const dir = join(root, "exercises");
  if (!existsSync(dir)) return [];
  const out: Exercise[] = [];
  for (const name of readdirSync(dir).sort()) {
    const exDir = join(dir, name);
    if (name.startsWith(".") || name.startsWith("_") || !statSync(exDir).isDirectory()) continue;
    const metaFile = join(exDir, "exercise.yaml");
    const text = readText(metaFile, c);
    if (text === undefined) continue;
    const parsed = parseYaml(metaFile, text, c);
    if (!parsed) continue;
    const meta = parsed.value;
    if (!v.exercise(meta)) {
      c.addAjv(metaFile, v.exercise.errors ?? [], [], parsed.lineOf);
      continue;
    }
    const m = meta as { kind: "sql" | "ts"; id: string; concept: SqlExercise["concept"]; difficulty: SqlExercise["difficulty"]; title: string; hints: string[]; ordered?: boolean; ignoreColumns?: string[]; tags?: string[] };
    if (m.id !== name) c.add(metaFile, "$.id", `is '${m.id}' but the folder is '${name}': they must be the same`, parsed.lineOf(["id"]));
    const files = m.kind === "sql" ? SQL_FILES : TS_FILES;
    const content: Record<string, string> = {};
    for (const f of files) {
      const t = readText(join(exDir, f), c);
      if (t !== undefined) {
        content[f] = t;
        if (f !== "hidden-setup.sql" && !t.trim()) c.add(join(exDir, f), "$", "file is empty");
      }
    }
    for (const extra of readdirSync(exDir)) {
      if (extra !== "exercise.yaml" && !(files as readonly string[]).includes(extra)) c.add(join(exDir, extra), "$", `unexpected file in a ${m.kind} exercise (expected ${["exercise.yaml", ...files].join(", ")})`);
    }
    if (Object.keys(content).length !== files.length) continue;
    const common = { id: m.id, concept: m.concept, difficulty: m.difficulty, title: m.title, statement: content["statement.md"]!, hints: m.hints, ...(m.tags ? { tags: m.tags } : {}) };
    if (m.kind === "sql") {
      if (!content["hidden-setup.sql"]!.trim()) c.add(join(exDir, "hidden-setup.sql"), "$", "file is empty: hidden data is what makes a hard-coded answer fail");
      if (content["starter.sql"]!.trim() === content["solution.sql"]!.trim()) c.add(join(exDir, "starter.sql"), "$", "is the same as solution.sql");
      const ex: SqlExerciseSpec = {
        kind: "sql", ...common, setup: content["setup.sql"]!, hiddenSetup: content["hidden-setup.sql"]!, starter: content["starter.sql"]!, solution: content["solution.sql"]!, ordered: m.ordered!,
        ...(m.ignoreColumns ? { ignoreColumns: m.ignoreColumns } : {}),
      };
      out.push(ex);
    } else {
      if (content["starter.ts"]!.trim() === content["solution.ts"]!.trim()) c.add(join(exDir, "starter.ts"), "$", "is the same as solution.ts");
      if (!/from\s+["']\.\/submission\.js["']/.test(content["tests.ts"]!)) c.add(join(exDir, "tests.ts"), "$", `must import the learner's code from "./submission.js"`);
      const ex: TsExerciseSpec = { kind: "ts", ...common, starter: content["starter.ts"]!, solution: content["solution.ts"]!, tests: content["tests.ts"]! };
      out.push(ex);
    }
  }
  return out;
}

/**
 * Loads and validates the whole bank. Throws a BankError listing every problem (file, line,
 * JSON path) if anything is wrong; ids are unique across items and exercises.
 */
export function loadBank(root: string = defaultQuizzesRoot()): Bank {
  const absRoot = resolve(root);
  const c = new Collector(dirname(absRoot));
  if (!existsSync(join(absRoot, "schema"))) throw new BankError([{ file: c.rel(join(absRoot, "schema")), path: "$", message: "folder is missing (item.schema.json, exercise.schema.json)" }]);
  const v = validators(absRoot);
  const items = loadItems(absRoot, v, c);
  const exercises = loadExercises(absRoot, v, c);
  const seen = new Map<string, string>();
  for (const x of [...items.map((i) => ({ id: i.id, where: `items/${i.concept}.yaml` })), ...exercises.map((e) => ({ id: e.id, where: `exercises/${e.id}` }))]) {
    const prev = seen.get(x.id);
    if (prev) c.add(join(absRoot, x.where), "$.id", `duplicate id '${x.id}' (also used in ${basename(absRoot)}/${prev})`);
    else seen.set(x.id, x.where);
  }
  if (c.problems.length) throw new BankError(c.problems);
  return { items, exercises };
}
