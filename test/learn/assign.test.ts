/**
 * Assignments end to end: create (no secrets leak), start, submit, batch-grade with partial
 * credit, late penalties and broken or hostile submissions that must not stop the batch.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildSubmission, createAssignment, csvCell, daysLate, gradeSubmissions, parseLatePenalty, penaltyFraction, readAssignmentFile, startAssignment, submissionFileName, type AssignmentFile } from "../../src/learn/assign/index.js";
import { stepPermutation } from "../../src/learn/session/present.js";
import { EXERCISES, fakeGraders, fixtureData, ITEMS, removeDir, tempDir, writeBankFile } from "../tui/fixtures.js";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

const DUE = "2026-12-01T23:59:00Z";

function makeAssignment(): AssignmentFile {
  return createAssignment(fixtureData(), {
    title: "Delta & streaming homework",
    exercises: ["sql-count", "ts-add"],
    items: ["delta-log", "delta-features", "streaming-order", "delta-vacuum"],
    points: [10, 10, 5, 5, 5, 5],
    due: DUE,
    latePenalty: "10%/day,max 50%",
    now: new Date("2026-11-01T09:00:00Z"),
    seed: "fixed-seed",
  });
}

/** The letters of streaming-order's steps in the right order, as the learner sees them. */
function rightOrder(a: AssignmentFile): string {
  const task = a.tasks.find((t) => t.id === "streaming-order")!;
  const steps = (task as { steps: string[] }).steps;
  return ["Read new offsets", "Process the batch", "Commit the offsets"].map((s) => String.fromCharCode(97 + steps.indexOf(s))).join(",");
}

describe("late penalty", () => {
  it("parses the flag and computes started days late, capped", () => {
    expect(parseLatePenalty("10%/day")).toEqual({ perDay: 0.1, max: 1 });
    expect(parseLatePenalty("10%/day,max 50%")).toEqual({ perDay: 0.1, max: 0.5 });
    expect(parseLatePenalty("5% per day, max 30%")).toEqual({ perDay: 0.05, max: 0.3 });
    expect(parseLatePenalty("none")).toBeNull();
    expect(() => parseLatePenalty("lots")).toThrow(/invalid --late-penalty/);
    const due = new Date(DUE);
    expect(daysLate(new Date("2026-12-01T23:00:00Z"), due)).toBe(0);
    expect(daysLate(new Date("2026-12-01T23:59:01Z"), due)).toBe(1);
    expect(daysLate(new Date("2026-12-04T10:00:00Z"), due)).toBe(3);
    expect(penaltyFraction({ perDay: 0.1, max: 0.5 }, 3)).toBe(0.3);
    expect(penaltyFraction({ perDay: 0.1, max: 0.5 }, 9)).toBe(0.5);
  });
});

describe("create", () => {
  it("builds a self-contained file without solutions, hidden tests or answer keys", () => {
    const a = makeAssignment();
    expect(a).toMatchObject({ format: "c360-assignment", version: 1, title: "Delta & streaming homework", due: "2026-12-01T23:59:00.000Z", totalPoints: 40, latePenalty: { perDay: 0.1, max: 0.5 } });
    expect(a.id).toMatch(/^delta-streaming-homework-[0-9a-f]{6}$/);
    expect(a.tasks.map((t) => [t.id, t.points])).toEqual([["sql-count", 10], ["ts-add", 10], ["delta-log", 5], ["delta-features", 5], ["streaming-order", 5], ["delta-vacuum", 5]]);
    const sql = a.tasks[0] as { statement: string; starter: string; setup?: string };
    expect(sql.statement).toBe(EXERCISES[0]!.statement);
    expect(sql.starter).toBe(EXERCISES[0]!.starter);
    const text = JSON.stringify(a);
    for (const secret of ["GROUP BY country", "HIDDEN TESTS", "return a + b", "INSERT INTO customers VALUES (99", "Every commit is a numbered JSON file", '"answer"', '"answers"', "hiddenSetup", "solution", "explanation"]) {
      expect(text, secret).not.toContain(secret);
    }
    // ordering steps are shuffled with the assignment seed, never in the answer order
    const steps = (a.tasks.find((t) => t.id === "streaming-order") as { steps: string[] }).steps;
    expect(steps).not.toEqual(["Read new offsets", "Process the batch", "Commit the offsets"]);
    expect([...steps].sort()).toEqual(["Commit the offsets", "Process the batch", "Read new offsets"]);
    expect(stepPermutation(3, "streaming-order", a.seed).map((i) => ["Read new offsets", "Process the batch", "Commit the offsets"][i])).toEqual(steps);
  });

  it("rejects unknown ids, mismatched points and bad dates in one line", () => {
    const data = fixtureData();
    expect(() => createAssignment(data, { title: "x", exercises: ["nope"], items: ["delta-log", "zzz"], due: DUE })).toThrow("unknown ids in the bank (exercises: nope; items: zzz)");
    expect(() => createAssignment(data, { title: "x", exercises: [], items: ["delta-log"], points: [1, 2], due: DUE })).toThrow(/--points has 2 values for 1 tasks/);
    expect(() => createAssignment(data, { title: "x", exercises: [], items: ["delta-log"], due: "tomorrow" })).toThrow(/invalid --due/);
    expect(createAssignment(data, { title: "x", exercises: ["ts-add"], items: ["delta-log"], due: DUE }).totalPoints).toBe(15);
  });
});

describe("start, submit, grade", () => {
  it("round trip: partial credit, late penalties, broken and hostile submissions", async () => {
    const a = makeAssignment();
    const assignmentFile = join(dir, "assignment.json");
    writeFileSync(assignmentFile, JSON.stringify(a, null, 2));
    expect(readAssignmentFile(assignmentFile).id).toBe(a.id);
    const subs = join(dir, "submissions");
    mkdirSync(subs);

    const learner = (name: string, fill: (work: string) => void, at: string) => {
      const work = join(dir, "work", name.split(" ")[0]!);
      const started = startAssignment(a, work);
      expect(started.created.map((f) => f.slice(work.length + 1)).sort()).toEqual(["answers.yaml", "exercises/sql-count/sql-count.sql", "exercises/ts-add/ts-add.ts"]);
      expect(readFileSync(join(work, "answers.yaml"), "utf8")).toContain("# 1. [5 pts] (single) Where does Delta Lake record its commits?\n#    A. In the Hive metastore");
      expect(readFileSync(join(work, "ASSIGNMENT.md"), "utf8")).toContain("Count the customers of each country.");
      fill(work);
      const { submission, warnings } = buildSubmission(a, { dir: work, name, now: new Date(at) });
      const file = join(subs, submissionFileName(name));
      writeFileSync(file, JSON.stringify(submission, null, 2));
      return { submission, warnings, file };
    };

    // Ada: everything right, on time.
    const ada = learner("Ada Lovelace", (w) => {
      writeFileSync(join(w, "answers.yaml"), `delta-log: b\ndelta-features: a,b\nstreaming-order: ${rightOrder(a)}\ndelta-vacuum: false\n`);
      writeFileSync(join(w, "exercises/sql-count/sql-count.sql"), "SELECT country, count(*) AS n FROM customers GROUP BY country");
      writeFileSync(join(w, "exercises/ts-add/ts-add.ts"), "export function add(a: number, b: number) { return a + b; }");
    }, "2026-11-30T20:00:00Z");
    expect(ada.warnings).toEqual([]);
    expect(ada.file.endsWith("ada-lovelace-submission.json")).toBe(true);
    expect(ada.submission).toMatchObject({ format: "c360-submission", assignmentId: a.id, learner: "Ada Lovelace", submittedAt: "2026-11-30T20:00:00.000Z" });

    // Grace: half of the multiple choice, a failing TS exercise, one unanswered; 3 days late.
    const grace = learner("Grace Hopper", (w) => {
      writeFileSync(join(w, "answers.yaml"), "delta-log: 2\ndelta-features: a\ndelta-vacuum: true\n");
      writeFileSync(join(w, "exercises/sql-count/sql-count.sql"), "select country, count(*) from customers group by country");
    }, "2026-12-04T10:00:00Z");
    expect(grace.warnings).toEqual(["question streaming-order is unanswered", "exercise ts-add is unchanged from the starter"]);

    // Larry: correct but 10 days late (penalty capped at 50%).
    learner("Larry Late", (w) => {
      writeFileSync(join(w, "answers.yaml"), `delta-log: b\ndelta-features: [a, b]\nstreaming-order: ${rightOrder(a)}\ndelta-vacuum: f\n`);
      writeFileSync(join(w, "exercises/sql-count/sql-count.sql"), "SELECT country, count(*) FROM customers GROUP BY country");
      writeFileSync(join(w, "exercises/ts-add/ts-add.ts"), "export const add = (a: number, b: number) => { return a + b; };");
    }, "2026-12-11T12:00:00Z");

    // Broken and hostile submissions.
    writeFileSync(join(subs, "broken-submission.json"), '{"format": "c360-submission", "learner": "Bro');
    writeFileSync(join(subs, "wrong-assignment-submission.json"), JSON.stringify({ ...ada.submission, assignmentId: "another-one", learner: "Wanda" }));
    const mallory = JSON.stringify({
      ...ada.submission,
      learner: "Mallory",
      answers: { "delta-log": "b", PROTO: { polluted: true }, "../../etc/passwd": "x" },
      code: { "sql-count": "SELECT 1", "ts-add": "import { readFileSync } from 'node:fs'; export const add = () => readFileSync('../ada-lovelace-submission.json', 'utf8');" },
    }).replace('"PROTO"', '"__proto__"');
    expect(mallory).toContain('"__proto__":{"polluted":true}');
    writeFileSync(join(subs, "mallory-submission.json"), mallory);
    writeFileSync(join(subs, "loop-submission.json"), JSON.stringify({ ...ada.submission, learner: "Loopy", code: { ...ada.submission.code, "ts-add": "export function add() { while (true) {} }" } }));
    writeFileSync(join(subs, "notes.txt"), "ignored");
    // The assignment file itself sitting among the submissions is skipped, not reported.
    writeFileSync(join(subs, "assignment.json"), JSON.stringify(a));

    const out = join(dir, "grades");
    const lines: string[] = [];
    const res = await gradeSubmissions({ assignment: a, submissionsDir: subs, outDir: out, data: fixtureData(), graders: fakeGraders, timeoutMs: 300, now: new Date("2026-12-12T00:00:00Z"), log: (l) => lines.push(l) });

    const by = new Map(res.learners.map((l) => [l.learner, l]));
    expect([...by.keys()].sort()).toEqual(["Ada Lovelace", "Grace Hopper", "Larry Late", "Loopy", "Mallory", "broken", "wrong-assignment"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();

    expect(by.get("Ada Lovelace")).toMatchObject({ status: "graded", raw: 40, final: 40, max: 40, daysLate: 0, penalty: 0 });
    expect(by.get("Ada Lovelace")!.tasks.every((t) => t.lost.length === 0)).toBe(true);

    const g = by.get("Grace Hopper")!;
    // sql 10 + ts 5 (half the checks) + delta-log 5 + features 2.5 + order 0 + vacuum 0 = 22.5; 3 days late → -30%
    expect(g).toMatchObject({ status: "graded", raw: 22.5, daysLate: 3, penalty: 0.3, final: 15.75 });
    const task = (id: string) => g.tasks.find((t) => t.id === id)!;
    expect(task("delta-features")).toMatchObject({ earned: 2.5 });
    expect(task("delta-features").lost[0]).toMatch(/^-2\.5: 1 of 2 right, 0 wrong Expected: A\. Deletion vectors; B\. Column mapping\./);
    expect(task("streaming-order").lost[0]).toMatch(/^-5: not answered\. Expected: 1\. Read new offsets/);
    expect(task("delta-vacuum").lost[0]).toContain("VACUUM removes data files");
    expect(task("ts-add")).toMatchObject({ earned: 5 });
    expect(task("ts-add").lost[0]).toContain("add(1, 2): expected 3, got 0");

    expect(by.get("Larry Late")).toMatchObject({ raw: 40, daysLate: 10, penalty: 0.5, final: 20 });

    expect(by.get("broken")).toMatchObject({ status: "error", final: 0 });
    expect(by.get("broken")!.error).toMatch(/^invalid JSON/);
    expect(by.get("wrong-assignment")!.error).toMatch(/submission is for assignment "another-one"/);

    const m = by.get("Mallory")!;
    expect(m.status).toBe("graded");
    expect(m.tasks.find((t) => t.id === "ts-add")!.lost[0]).toContain("grader error: sandbox: file system access is not allowed");
    expect(m.tasks.find((t) => t.id === "sql-count")!.earned).toBe(0);

    const loop = by.get("Loopy")!;
    expect(loop.status).toBe("graded");
    expect(loop.tasks.find((t) => t.id === "ts-add")!.lost[0]).toMatch(/grading stopped after 0 s \(an infinite loop/);
    expect(loop.raw).toBe(30);

    // Files: CSV, JSON and one feedback file per learner.
    const csv = readFileSync(join(out, "gradebook.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("learner,file,status,submitted_at,days_late,penalty_pct,raw_points,final_points,max_points,percent,sql-count,ts-add,delta-log,delta-features,streaming-order,delta-vacuum,error");
    expect(csv).toHaveLength(8);
    expect(csv.find((l) => l.startsWith("Grace Hopper,"))).toBe("Grace Hopper,grace-hopper-submission.json,graded,2026-12-04T10:00:00.000Z,3,30,22.5,15.75,40,39.38,10,5,5,2.5,0,0,");
    expect(csv.find((l) => l.startsWith("broken,"))).toMatch(/^broken,broken-submission\.json,error,,0,0,0,0,40,0,,,,,,,"?invalid JSON/);
    const json = JSON.parse(readFileSync(join(out, "gradebook.json"), "utf8"));
    expect(json.learners).toHaveLength(7);
    expect(json.assignment).toMatchObject({ id: a.id, totalPoints: 40 });
    const feedback = readdirSync(join(out, "feedback")).sort();
    expect(feedback).toEqual(["ada-lovelace.md", "broken.md", "grace-hopper.md", "larry-late.md", "loopy.md", "mallory.md", "wrong-assignment.md"]);
    const gmd = readFileSync(join(out, "feedback", "grace-hopper.md"), "utf8");
    expect(gmd).toContain("**Score: 15.75 / 40** (39%)");
    expect(gmd).toContain("Late by 3 days: 10% per day late, at most 50% → −30% (22.5 → 15.75).");
    expect(gmd).toContain("## delta-features — 2.5 / 5");
    expect(readFileSync(join(out, "feedback", "broken.md"), "utf8")).toContain("could not be graded: **invalid JSON");
    expect(lines.some((l) => l.startsWith("broken-submission.json: ERROR"))).toBe(true);
  });

  it("never overwrites learner work when start runs again", () => {
    const a = makeAssignment();
    const work = join(dir, "w");
    startAssignment(a, work);
    writeFileSync(join(work, "answers.yaml"), "delta-log: b\n");
    const again = startAssignment(a, work);
    expect(again.created).toEqual([]);
    expect(again.kept).toHaveLength(3);
    expect(readFileSync(join(work, "answers.yaml"), "utf8")).toBe("delta-log: b\n");
  });

  it("neutralises spreadsheet formulas in CSV cells", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("Ada, Countess")).toBe('"Ada, Countess"');
    expect(csvCell(3)).toBe("3");
  });
});

describe("through the CLI", () => {
  const root = join(import.meta.dirname, "../..");
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env, C360_QUIZ_DATA: join(dir, "data"), C360_QUIZ_BANK: join(dir, "bank.json"), C360_QUIZ_GRADERS: join(root, "test/tui/fake-graders.ts") };
      const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/c360-quiz.ts"), ...args], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
  }

  it("assign create → start → submit (late) → grade", async () => {
    writeBankFile(dir);
    const af = join(dir, "assignment.json");
    const create = await run(["assign", "create", "--title", "HW 1", "--exercises", "sql-count", "--items", "delta-log,delta-vacuum", "--points", "10,5,5", "--due", DUE, "--late-penalty", "10%/day,max 50%", "--out", af]);
    expect(create.stderr).toBe("");
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('"HW 1", 3 tasks, 20 points');
    expect((await run(["assign", "create", "--title", "HW 1", "--items", "delta-log", "--due", DUE, "--out", af])).stderr).toMatch(/exists \(use --force/);

    const work = join(dir, "ada-work");
    const start = await run(["start", af, "--dir", work]);
    expect(start.code).toBe(0);
    expect(existsSync(join(work, "exercises", "sql-count", "sql-count.sql"))).toBe(true);
    writeFileSync(join(work, "answers.yaml"), "delta-log: b\ndelta-vacuum: true\n");
    writeFileSync(join(work, "exercises", "sql-count", "sql-count.sql"), "SELECT country, count(*) FROM customers GROUP BY country");

    const subs = join(dir, "subs");
    const submit = await run(["submit", af, "--name", "Ada Lovelace", "--out", subs, "--now", "2026-12-02T08:00:00Z"]);
    expect(submit.code).toBe(0);
    expect(submit.stdout).toContain("a late penalty may apply");
    expect(existsSync(join(subs, "ada-lovelace-submission.json"))).toBe(true);
    writeFileSync(join(subs, "eve-submission.json"), "not json at all");

    const out = join(dir, "grades");
    const grade = await run(["grade", subs, "--assignment", af, "--out", out]);
    expect(grade.code).toBe(0);
    expect(grade.stdout).toContain("ada-lovelace-submission.json: Ada Lovelace 13.5/20 (1 day late, -10%)");
    expect(grade.stdout).toContain("eve-submission.json: ERROR invalid JSON");
    expect(grade.stdout).toContain("Graded 1 submission(s), 1 could not be graded");
    expect(readFileSync(join(out, "gradebook.csv"), "utf8")).toContain("Ada Lovelace,ada-lovelace-submission.json,graded,2026-12-02T08:00:00.000Z,1,10,15,13.5,20,67.5,10,5,0,");
    expect(existsSync(join(out, "feedback", "ada-lovelace.md"))).toBe(true);
    expect(existsSync(join(out, "feedback", "eve.md"))).toBe(true);

    const stats = JSON.parse((await run(["stats", "--json"])).stdout);
    expect(stats.assignments).toEqual({ started: 1, submitted: 1 });
  });
});

describe("with the real graders", () => {
  it("sandboxes hostile TypeScript, survives infinite loops and auto-scores free responses", async () => {
    const { gradeItem, gradeTs } = await import("../../src/learn/grade/index.js");
    const data = fixtureData();
    const ts = data.exercises.find((e) => e.id === "ts-add")!;
    if (ts.kind !== "ts") throw new Error("fixture");
    ts.tests = [
      'import { test } from "./harness.js";',
      'import assert from "node:assert/strict";',
      'import { add } from "./submission.js";',
      'test("adds", () => assert.equal(add(1, 2), 3));',
      'test("adds negatives", () => assert.equal(add(-1, 1), 0));',
    ].join("\n");
    const a = createAssignment(data, { title: "Real", exercises: ["ts-add"], items: ["streaming-free"], points: [10, 10], due: DUE, seed: "s" });
    const subs = join(dir, "subs");
    mkdirSync(subs);
    const base = { format: "c360-submission", version: 1, assignmentId: a.id, assignmentTitle: a.title, submittedAt: "2026-11-30T00:00:00Z", tool: "test" };
    const secret = join(subs, "ada-submission.json");
    writeFileSync(secret, JSON.stringify({ ...base, learner: "Ada", answers: { "streaming-free": "The checkpoint keeps the state and the offsets" }, code: { "ts-add": "export function add(a: number, b: number) { return a + b; }" } }));
    writeFileSync(join(subs, "eve-submission.json"), JSON.stringify({ ...base, learner: "Eve", answers: {}, code: { "ts-add": `import { readFileSync } from "node:fs";\nexport function add(a: number, b: number) { return readFileSync(${JSON.stringify(secret)}, "utf8").length; }` } }));
    writeFileSync(join(subs, "loop-submission.json"), JSON.stringify({ ...base, learner: "Loopy", answers: {}, code: { "ts-add": "while (true) {}\nexport function add(a: number, b: number) { return a + b; }" } }));

    const graders = { gradeItem, gradeTs, gradeSql: fakeGraders.gradeSql } as unknown as typeof fakeGraders;
    const res = await gradeSubmissions({ assignment: a, submissionsDir: subs, outDir: join(dir, "out"), data, graders, graderOpts: { timeoutMs: 4000 }, timeoutMs: 20_000 });
    const by = new Map(res.learners.map((l) => [l.learner, l]));

    const ada = by.get("Ada")!;
    expect(ada.tasks.find((t) => t.id === "ts-add")).toMatchObject({ earned: 10 });
    const free = ada.tasks.find((t) => t.id === "streaming-free")!;
    expect(free.earned).toBe(10); // both key points mentioned
    expect(free.messages[0]).toMatch(/auto-scored from the key points it mentions \(2\/2\)/);

    const eve = by.get("Eve")!.tasks.find((t) => t.id === "ts-add")!;
    expect(eve.earned).toBe(0);
    expect(eve.lost[0]).toMatch(/access denied by the sandbox/);
    expect(by.get("Eve")!.tasks.find((t) => t.id === "streaming-free")!.lost[0]).toMatch(/^-10: not answered/);

    const loop = by.get("Loopy")!.tasks.find((t) => t.id === "ts-add")!;
    expect(loop.earned).toBe(0);
    expect(loop.lost[0]).toMatch(/timed out|did not finish/);
  }, 60_000);
});
