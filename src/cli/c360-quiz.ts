#!/usr/bin/env node
/**
 * `c360-quiz`: practice questions, flashcards, exercises, mock interviews and assignments.
 * With no command on a terminal it opens the interactive TUI; every feature also has a
 * non-interactive command for scripts (stdin need not be a TTY). Errors print one line and exit
 * non-zero. Progress lives in $XDG_DATA_HOME/c360-lab/progress.json (or --data-dir /
 * C360_QUIZ_DATA).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { createAssignment, parseIdList, parsePoints } from "../learn/assign/create.js";
import { readAssignmentFile } from "../learn/assign/files.js";
import { gradeSubmissions } from "../learn/assign/grade.js";
import { buildSubmission, defaultWorkDir, startAssignment, submissionFileName } from "../learn/assign/learner.js";
import { FlashcardScheduler } from "../learn/fsrs/scheduler.js";
import { writeFileAtomic } from "../learn/progress/atomic.js";
import { ProgressStore } from "../learn/progress/store.js";
import { describeCorrect, feedbackBody, letter, parseAnswerText, parseChoiceList, plainText, presentItem } from "../learn/session/present.js";
import { seededRng } from "../learn/session/random.js";
import { pickPractice, topicsWithItems, topicTitle } from "../learn/session/select.js";
import { defaultSource, gradeExercise, type LearnData, type LearnSource } from "../learn/session/sources.js";
import { computeStats, pct } from "../learn/session/stats.js";
import { DEFAULT_WORKDIR, exerciseFile, nextHint, readExerciseCode, resetExercise, startExercise } from "../learn/session/workspace.js";
import type { Answer, Exercise } from "../learn/types.js";

class CliError extends Error {}

interface GlobalOpts {
  dataDir?: string;
  root?: string;
  bank?: string;
  now?: string;
  graders?: string;
  color?: boolean;
}

function out(line = ""): void {
  process.stdout.write(line + "\n");
}

function warn(line: string): void {
  process.stderr.write(line + "\n");
}

function clockOf(g: GlobalOpts): () => Date {
  if (!g.now) return () => new Date();
  const t = Date.parse(g.now);
  if (Number.isNaN(t)) throw new CliError(`invalid --now "${g.now}" (expected ISO-8601)`);
  return () => new Date(t);
}

function sourceOf(g: GlobalOpts): LearnSource {
  return defaultSource({ root: g.root, bankFile: g.bank, gradersModule: g.graders });
}

function openStore(g: GlobalOpts): ProgressStore {
  const store = ProgressStore.open({ dataDir: g.dataDir, now: clockOf(g) });
  for (const n of store.notices) warn(`c360-quiz: ${n}`);
  return store;
}

function findExercise(data: LearnData, id: string): Exercise {
  const ex = data.exercises.find((e) => e.id === id);
  if (!ex) throw new CliError(`no exercise "${id}" (see: c360-quiz exercise list)`);
  return ex;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`expected a positive whole number, got "${v}"`);
  return n;
}

const program = new Command();
program
  .name("c360-quiz")
  .description("Databricks interview training: practice questions, flashcards (FSRS), exercises, mock interviews and assignments.\nWith no command on a terminal, opens the interactive mode.")
  .version("0.1.0")
  .addOption(new Option("--data-dir <dir>", "where progress.json lives (default $XDG_DATA_HOME/c360-lab)").env("C360_QUIZ_DATA"))
  .addOption(new Option("--root <dir>", "content root holding quizzes/ and guide/ (default: this project)").env("C360_QUIZ_ROOT"))
  .addOption(new Option("--bank <file>", "a JSON bank {items, exercises, flashcards} used instead of quizzes/").env("C360_QUIZ_BANK"))
  .addOption(new Option("--now <iso>", "pretend the current time is <iso> (tests, demos)").env("C360_QUIZ_NOW").hideHelp())
  .addOption(new Option("--graders <module>", "a module exporting gradeItem/gradeSql/gradeTs (tests, custom graders)").env("C360_QUIZ_GRADERS").hideHelp())
  .option("--no-color", "no colours in the interactive mode (NO_COLOR=1 does the same)")
  .argument("[command]", "")
  .usage("[options] [command]")
  .showSuggestionAfterError()
  .action(async (cmd: string | undefined) => {
    if (cmd !== undefined) throw new CliError(`unknown command "${cmd}" (see c360-quiz --help)`);
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      program.outputHelp();
      return;
    }
    await launchTui(program.opts<GlobalOpts>());
  });

async function launchTui(g: GlobalOpts, workdir?: string): Promise<void> {
  if (!process.stdin.isTTY) throw new CliError("the interactive mode needs a terminal (stdin is not a TTY); use the commands listed by c360-quiz --help");
  const source = sourceOf(g);
  const [data, graders] = await Promise.all([source.load(), source.graders()]);
  const store = openStore(g);
  const { runTui } = await import("../tui/run.js");
  const now = clockOf(g);
  const color = g.color === false ? false : undefined;
  await runTui({ data, graders, store, now, workdir: workdir ?? process.env["C360_QUIZ_WORKDIR"] ?? DEFAULT_WORKDIR, ...(color === false ? { color } : {}) });
}

program
  .command("tui")
  .description("open the interactive mode (needs a terminal)")
  .option("--workdir <dir>", "exercise folder", process.env["C360_QUIZ_WORKDIR"] ?? DEFAULT_WORKDIR)
  .action(async (opts: { workdir: string }, cmd: Command) => {
    await launchTui(cmd.optsWithGlobals<GlobalOpts>(), opts.workdir);
  });

program
  .command("ask")
  .description("print practice questions, or grade one answer with --answer <id> <value>")
  .argument("[value...]", "with --answer: the answer (a letter such as B, A,C for several, true/false, C,A,B for an order, or text)")
  .option("--concept <concept>", "only this concept (e.g. delta, streaming, cross-cutting)")
  .option("--count <n>", "how many questions", positiveInt, 5)
  .option("--json", "JSON output: questions without their answers, or the grade")
  .option("--answer <id>", "grade an answer to question <id>")
  .option("--covered <list>", "free-response questions: the key points you covered, e.g. 1,3 (after comparing with the reference)")
  .option("--seed <seed>", "seed of the random pick (reproducible lists)")
  .addHelpText("after", "\nExamples:\n  c360-quiz ask --concept delta --count 3\n  c360-quiz ask --concept delta --json\n  c360-quiz ask --answer <id> B\n  c360-quiz ask --answer <free-response-id> \"my answer\"      (shows the reference and key points)\n  c360-quiz ask --answer <free-response-id> --covered 1,3   (records your self-assessment)")
  .action(async (values: string[], opts: { concept?: string; count: number; json?: boolean; answer?: string; covered?: string; seed?: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    const source = sourceOf(g);
    const data = await source.load();
    if (opts.answer !== undefined) {
      const item = data.items.find((i) => i.id === opts.answer);
      if (!item) throw new CliError(`no question "${opts.answer}"`);
      let answer: Answer;
      if (opts.covered !== undefined) {
        if (item.type !== "free") throw new CliError("--covered is for free-response questions");
        const covered = opts.covered.trim() === "" || opts.covered.trim() === "none" ? [] : parseChoiceList(opts.covered, item.keyPoints.length);
        answer = [...new Set(covered)];
      } else {
        if (values.length === 0) throw new CliError(`give the answer after the id, e.g. c360-quiz ask --answer ${item.id} ${item.type === "free" ? '"your answer"' : "B"}`);
        try {
          answer = parseAnswerText(item, values.join(" "));
        } catch (e) {
          throw new CliError(`cannot read the answer: ${(e as Error).message} (${presentItem(item).answerFormat})`);
        }
      }
      const graders = await source.graders();
      const grade = await graders.gradeItem(item, answer);
      // Free text is only compared with the reference; the attempt counts once self-assessed.
      const pending = item.type === "free" && typeof answer === "string";
      if (!pending) openStore(g).recordAnswer(item.id, { correct: grade.correct, score: grade.score, source: "cli", answer });
      if (opts.json) {
        out(JSON.stringify({ id: item.id, correct: grade.correct, score: grade.score, ...(pending ? { pending: true } : {}), feedback: grade.feedback, expected: describeCorrect(item), explanation: item.explanation, docs: item.docs }, null, 2));
        return;
      }
      if (pending) {
        out(plainText(grade.feedback) || `Reference answer:\n${item.type === "free" ? item.reference : ""}`);
        out("");
        out(`Then record what you covered: c360-quiz ask --answer ${item.id} --covered 1,2 (or --covered none)`);
        return;
      }
      out(grade.correct ? "Correct" : grade.score > 0 ? `Not quite (${Math.round(grade.score * 100)}% credit)` : "Not quite");
      const fb = feedbackBody(grade.feedback);
      if (fb) out(fb);
      if (!grade.correct && item.type !== "free" && !fb.includes(describeCorrect(item).split("\n")[0]!)) out(`Answer: ${describeCorrect(item)}`);
      if (!fb.includes(item.explanation.trim())) out(`\n${item.explanation}`);
      for (const d of item.docs) out(`Docs: ${d}`);
      return;
    }
    if (values.length > 0) throw new CliError(`unexpected argument "${values[0]}" (did you mean --answer <id> <value>?)`);
    const topics = topicsWithItems(data.items);
    if (opts.concept !== undefined && !topics.includes(opts.concept as (typeof topics)[number])) {
      throw new CliError(`no questions for concept "${opts.concept}" (available: ${topics.join(", ") || "none"})`);
    }
    const store = openStore(g);
    const rng = seededRng(opts.seed ?? Date.now());
    const items = pickPractice(data.items, { concept: opts.concept, count: opts.count, rng, answers: store.data.answers });
    const shown = items.map((i) => presentItem(i));
    if (opts.json) {
      out(JSON.stringify(shown, null, 2));
      return;
    }
    if (shown.length === 0) {
      out("No questions.");
      return;
    }
    shown.forEach((q, n) => {
      out(`${n + 1}. [${q.id}] ${topicTitle(q.concept)} · ${q.difficulty}${q.type === "multiple" ? " · select all that apply" : ""}`);
      out(q.prompt.trim());
      (q.choices ?? q.steps ?? []).forEach((c, i) => out(`   ${letter(i)}. ${c}`));
      if (q.type === "truefalse") out("   true / false");
      out(`   answer: c360-quiz ask --answer ${q.id} <${q.answerFormat}>`);
      out("");
    });
  });

program
  .command("stats")
  .description("answered questions, accuracy by concept, due flashcards, exercises passed")
  .option("--json", "JSON output")
  .action(async (opts: { json?: boolean }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    let data: LearnData;
    try {
      data = await sourceOf(g).load();
    } catch (e) {
      warn(`c360-quiz: ${(e as Error).message}; showing progress without the bank`);
      data = { items: [], exercises: [], flashcards: [] };
    }
    const store = openStore(g);
    const now = clockOf(g);
    const s = computeStats(store.data, data, new FlashcardScheduler({ now }), now());
    if (opts.json) {
      out(JSON.stringify({ progressFile: store.file, ...s }, null, 2));
      return;
    }
    out(`Answered ${s.answered} of ${data.items.length} questions (${s.attempts} attempts), accuracy ${pct(s.accuracy)}`);
    out("");
    out(`${"concept".padEnd(44)} ${"items".padStart(5)} ${"answered".padStart(8)} ${"accuracy".padStart(8)}`);
    for (const c of s.byConcept) out(`${c.title.slice(0, 44).padEnd(44)} ${String(c.items).padStart(5)} ${String(c.answered).padStart(8)} ${pct(c.accuracy).padStart(8)}`);
    out("");
    out(`Flashcards: ${s.flashcards.due} due, ${s.flashcards.newAvailable} new (${s.flashcards.newLeftToday} more today), ${s.flashcards.leeches} leeches`);
    out(`Exercises: ${s.exercises.passed}/${s.exercises.total} passed, ${s.exercises.started} started`);
    out(`Mock interviews: ${s.mocks.count}${s.mocks.last ? ` (last ${s.mocks.last.correct}/${s.mocks.last.total}, best ${pct(s.mocks.best)})` : ""}`);
    out(`Progress file: ${store.file}`);
  });

const exercise = program
  .command("exercise")
  .description("hands-on exercises: list, start, check, hint, reset")
  .addOption(new Option("--workdir <dir>", "folder for your exercise files").env("C360_QUIZ_WORKDIR").default(DEFAULT_WORKDIR));

function exerciseCtx(cmd: Command): { g: GlobalOpts; workdir: string } {
  const all = cmd.optsWithGlobals<GlobalOpts & { workdir: string }>();
  return { g: all, workdir: all.workdir };
}

exercise
  .command("list")
  .description("all exercises with your status")
  .option("--json", "JSON output")
  .action(async (opts: { json?: boolean }, cmd: Command) => {
    const { g } = exerciseCtx(cmd);
    const data = await sourceOf(g).load();
    const store = openStore(g);
    const rows = data.exercises.map((e) => {
      const p = store.data.exercises[e.id];
      return { id: e.id, kind: e.kind, concept: e.concept, difficulty: e.difficulty, title: e.title, status: p?.status ?? "new", attempts: p?.attempts ?? 0 };
    });
    if (opts.json) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (rows.length === 0) out("No exercises.");
    for (const r of rows) out(`${r.status === "passed" ? "✓" : r.status === "started" ? "•" : " "} ${r.id.padEnd(36)} ${r.kind.padEnd(3)} ${r.difficulty.padEnd(6)} ${r.title}`);
  });

exercise
  .command("start")
  .description("copy the starter into <workdir>/exercises/<id>/ (never overwrites your work)")
  .argument("<id>")
  .action(async (id: string, _opts: unknown, cmd: Command) => {
    const { g, workdir } = exerciseCtx(cmd);
    const ex = findExercise(await sourceOf(g).load(), id);
    const res = startExercise(workdir, ex);
    openStore(g).exerciseStarted(ex.id);
    out(res.created ? `Created ${res.file}` : `Already started: ${res.file} (kept your version)`);
    out(`Edit it, then run: c360-quiz exercise check ${ex.id}`);
  });

exercise
  .command("check")
  .description("grade your file (exit code 0 when every check passes)")
  .argument("<id>")
  .option("--json", "JSON output")
  .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
    const { g, workdir } = exerciseCtx(cmd);
    const source = sourceOf(g);
    const ex = findExercise(await source.load(), id);
    const code = readExerciseCode(workdir, ex);
    if (code === undefined) throw new CliError(`${exerciseFile(workdir, ex)} does not exist; run: c360-quiz exercise start ${ex.id}`);
    const res = await gradeExercise(await source.graders(), ex, code);
    openStore(g).exerciseChecked(ex.id, res);
    if (opts.json) out(JSON.stringify({ id: ex.id, ...res }, null, 2));
    else {
      out(res.passed ? `✓ ${ex.id}: all checks pass (${res.durationMs} ms)` : `✗ ${ex.id}: not passing yet (score ${Math.round(res.score * 100)}%)`);
      for (const m of res.messages) out(`  ${m}`);
      if (!res.passed && ex.hints.length > 0) out(`Stuck? c360-quiz exercise hint ${ex.id}`);
    }
    if (!res.passed) process.exitCode = 1;
  });

exercise
  .command("hint")
  .description("show the next hint")
  .argument("<id>")
  .action(async (id: string, _opts: unknown, cmd: Command) => {
    const { g } = exerciseCtx(cmd);
    const ex = findExercise(await sourceOf(g).load(), id);
    const store = openStore(g);
    const shown = store.data.exercises[ex.id]?.hintsShown ?? 0;
    const h = nextHint(ex, shown);
    if (!h) {
      if (ex.hints.length === 0) out("This exercise has no hints.");
      else {
        out(`No more hints; all ${ex.hints.length}:`);
        ex.hints.forEach((x, i) => out(`Hint ${i + 1}/${ex.hints.length}: ${x}`));
      }
      return;
    }
    store.setHintsShown(ex.id, h.index + 1);
    out(`Hint ${h.index + 1}/${ex.hints.length}: ${h.hint}`);
  });

exercise
  .command("reset")
  .description("restore the starter (your file is backed up first)")
  .argument("<id>")
  .action(async (id: string, _opts: unknown, cmd: Command) => {
    const { g, workdir } = exerciseCtx(cmd);
    const ex = findExercise(await sourceOf(g).load(), id);
    const res = resetExercise(workdir, ex, clockOf(g)());
    out(res.backup ? `Restored the starter in ${res.file}; your version is saved at ${res.backup}` : `Restored the starter in ${res.file}`);
  });

program
  .command("guide")
  .description("build the interview-guide website (guide, lessons, notebooks) as static HTML")
  .option("--out <dir>", "output folder (default <project>/build/site)")
  .action(async (opts: { out?: string }) => {
    const { buildSite } = await import("../guide/build.js");
    const res = await buildSite(opts.out ? { out: opts.out } : {});
    out(`Guide site: ${res.pages} pages in ${res.out}`);
  });

const assign = program.command("assign").description("instructors: create assignments (see also start, submit, grade)");

assign
  .command("create")
  .description("build a self-contained assignment file (statements, starters, prompts; no solutions)")
  .requiredOption("--title <title>", "assignment title")
  .option("--exercises <ids>", "comma-separated exercise ids")
  .option("--items <ids>", "comma-separated question ids")
  .option("--points <list>", "points per task, exercises first then items (default 10 per exercise, 5 per question)")
  .requiredOption("--due <iso>", "deadline, e.g. 2026-12-01T23:59:00Z")
  .option("--late-penalty <spec>", 'e.g. "10%/day" or "10%/day,max 50%"')
  .option("--out <file>", "output file", "assignment.json")
  .option("--force", "overwrite --out if it exists")
  .addOption(new Option("--seed <seed>").hideHelp())
  .action(async (opts: { title: string; exercises?: string; items?: string; points?: string; due: string; latePenalty?: string; out: string; force?: boolean; seed?: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    if (existsSync(opts.out) && !opts.force) throw new CliError(`${opts.out} exists (use --force to overwrite)`);
    const data = await sourceOf(g).load();
    const a = createAssignment(data, {
      title: opts.title,
      exercises: parseIdList(opts.exercises),
      items: parseIdList(opts.items),
      points: parsePoints(opts.points),
      due: opts.due,
      latePenalty: opts.latePenalty,
      now: clockOf(g)(),
      ...(opts.seed ? { seed: opts.seed } : {}),
    });
    writeFileAtomic(resolve(opts.out), JSON.stringify(a, null, 2) + "\n");
    out(`Wrote ${opts.out}: "${a.title}", ${a.tasks.length} tasks, ${a.totalPoints} points, due ${a.due}`);
    out(`Learners run: c360-quiz start ${opts.out}`);
  });

program
  .command("start")
  .description("learners: create the work folder of an assignment (starters + answers.yaml)")
  .argument("<assignment-file>")
  .option("--dir <dir>", "work folder (default ./<assignment-id>)")
  .action(async (file: string, opts: { dir?: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    const a = readAssignmentFile(file);
    const dir = resolve(opts.dir ?? defaultWorkDir(a));
    const res = startAssignment(a, dir);
    const store = openStore(g);
    const prev = store.data.assignments[a.id];
    store.setAssignment(a.id, { ...(prev ?? {}), title: a.title, file: resolve(file), workDir: dir, startedAt: prev?.startedAt ?? clockOf(g)().toISOString() });
    out(`Work folder: ${dir}`);
    for (const f of res.created) out(`  created ${f}`);
    for (const f of res.kept) out(`  kept     ${f} (already there)`);
    out(`Read ASSIGNMENT.md, answer in answers.yaml, edit the exercise files; due ${a.due}.`);
    out(`When done: c360-quiz submit ${file} --name "Your Name"`);
  });

program
  .command("submit")
  .description("learners: pack answers + code + timestamp into <name>-submission.json")
  .argument("<assignment-file>")
  .requiredOption("--name <name>", "your name, as your instructor knows it")
  .option("--dir <dir>", "work folder (default: the one `start` created)")
  .option("--out <dir>", "where to write the submission file", ".")
  .action(async (file: string, opts: { name: string; dir?: string; out: string }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    const a = readAssignmentFile(file);
    const store = openStore(g);
    const prev = store.data.assignments[a.id];
    const dir = resolve(opts.dir ?? prev?.workDir ?? defaultWorkDir(a));
    const now = clockOf(g)();
    const { submission, warnings } = buildSubmission(a, { dir, name: opts.name, now });
    mkdirSync(opts.out, { recursive: true });
    const target = resolve(opts.out, submissionFileName(opts.name));
    writeFileAtomic(target, JSON.stringify(submission, null, 2) + "\n");
    store.setAssignment(a.id, { ...(prev ?? { startedAt: now.toISOString() }), title: a.title, file: resolve(file), workDir: dir, submittedAt: submission.submittedAt, submissionFile: target });
    for (const w of warnings) warn(`warning: ${w}`);
    const late = now.getTime() > Date.parse(a.due);
    out(`Wrote ${target} (${Object.keys(submission.answers).length} answers, ${Object.keys(submission.code).length} exercise files)${late ? "; note: after the deadline, a late penalty may apply" : ""}`);
  });

program
  .command("grade")
  .description("instructors: grade every submission in a folder with the hidden tests")
  .argument("<submissions-dir>")
  .requiredOption("--assignment <file>", "the assignment file")
  .option("--out <dir>", "where gradebook.csv, gradebook.json and feedback/ go", "grades")
  .option("--use-mtime", "take submission times from file modification times, not the learners' timestamps")
  .option("--timeout <seconds>", "time limit of one grader run (a hang costs the learner that exercise)", positiveInt, 10)
  .action(async (dir: string, opts: { assignment: string; out: string; useMtime?: boolean; timeout: number }, cmd: Command) => {
    const g = cmd.optsWithGlobals<GlobalOpts>();
    const a = readAssignmentFile(opts.assignment);
    const source = sourceOf(g);
    const [data, graders] = await Promise.all([source.load(), source.graders()]);
    const res = await gradeSubmissions({
      assignment: a,
      assignmentPath: opts.assignment,
      submissionsDir: dir,
      outDir: opts.out,
      data,
      graders,
      useMtime: opts.useMtime ?? false,
      graderOpts: { timeoutMs: opts.timeout * 1000 },
      // The graders enforce the limit per run; this outer net (a SQL check makes several runs)
      // only catches a grader that never answers.
      timeoutMs: opts.timeout * 4000 + 5000,
      now: clockOf(g)(),
      log: out,
    });
    const errors = res.learners.filter((l) => l.status === "error").length;
    out(`Graded ${res.learners.length - errors} submission(s)${errors ? `, ${errors} could not be graded` : ""}: ${res.files.csv}, ${res.files.json}, ${join(res.files.feedbackDir, "*.md")}`);
  });

/** One line for any error, e.g. "The question bank is invalid (3 problems): <first> (+2 more)". */
function oneLineError(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length <= 1) return lines[0] ?? "unknown error";
  return `${lines[0]} ${lines[1]}${lines.length > 2 ? ` (+${lines.length - 2} more)` : ""}`;
}

program.parseAsync(process.argv).catch((e: unknown) => {
  warn(`c360-quiz: ${oneLineError(e)}`);
  process.exitCode = 1;
});
