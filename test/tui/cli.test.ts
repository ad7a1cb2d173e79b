/**
 * c360-quiz as scripts run it: a real process whose stdin is not a TTY. Commands print JSON or
 * text and exit 0; the interactive mode never starts (no raw-mode crash); errors are one line.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXERCISES, removeDir, tempDir, writeBankFile } from "./fixtures.js";

const root = join(import.meta.dirname, "../..");
const cli = join(root, "src/cli/c360-quiz.ts");
const graders = join(import.meta.dirname, "fake-graders.ts");
let dir: string;
let bank: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { env?: Record<string, string>; cwd?: string; stdin?: "pipe" | "ignore" } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, C360_QUIZ_DATA: join(dir, "data"), C360_QUIZ_BANK: bank, C360_QUIZ_GRADERS: graders, ...opts.env };
    delete env["FORCE_COLOR"];
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { cwd: opts.cwd ?? root, env, stdio: [opts.stdin ?? "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end();
  });
}

beforeAll(() => {
  dir = tempDir();
  bank = writeBankFile(dir);
});
afterAll(() => removeDir(dir));

describe("c360-quiz without a TTY", () => {
  it("stats --json prints valid JSON and exits 0", async () => {
    const r = await run(["stats", "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ answered: 0, flashcards: { total: 3, newAvailable: 3 }, exercises: { total: 2, passed: 0 } });
    expect(s.byConcept.map((c: { concept: string }) => c.concept)).toEqual(["delta", "streaming"]);
    expect(r.stderr).toBe("");
  });

  it("no arguments prints the help instead of starting the TUI (no raw-mode crash)", async () => {
    for (const stdin of ["pipe", "ignore"] as const) {
      const r = await run([], { stdin });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage: c360-quiz [options] [command]");
      expect(r.stdout).toContain("stats [options]");
      expect(r.stderr).not.toMatch(/Raw mode|Error/);
    }
  });

  it("the explicit tui command fails with one line", async () => {
    const r = await run(["tui"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("needs a terminal");
  });

  it("--help works on every command", async () => {
    for (const args of [["--help"], ["ask", "--help"], ["exercise", "check", "--help"], ["assign", "create", "--help"], ["grade", "--help"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage: c360-quiz");
    }
  });

  it("errors are one line with a non-zero exit", async () => {
    for (const args of [["ask", "--concept", "nope"], ["ask", "--answer", "missing", "a"], ["exercise", "check", "nope"], ["frobnicate"], ["ask", "--count", "zero"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });
});

describe("ask", () => {
  it("--json lists questions without their answers", async () => {
    const r = await run(["ask", "--concept", "delta", "--json", "--count", "2"]);
    expect(r.code).toBe(0);
    const qs = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(qs).toHaveLength(2);
    for (const q of qs) {
      expect(q["concept"]).toBe("delta");
      for (const secret of ["answer", "answers", "explanation", "reference", "keyPoints"]) expect(q).not.toHaveProperty(secret);
    }
  });

  it("prints questions as text", async () => {
    const r = await run(["ask", "--concept", "streaming", "--count", "5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[streaming-order]");
    expect(r.stdout).toMatch(/A\. .*\n\s+B\. /);
    expect(r.stdout).toContain("c360-quiz ask --answer streaming-order");
  });

  it("--answer grades one answer, records it, and stats sees it", async () => {
    const ok = await run(["ask", "--answer", "delta-log", "b"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Correct/);
    expect(ok.stdout).toContain("Docs: https://docs.databricks.com/lakehouse/acid");
    const bad = await run(["ask", "--answer", "delta-log", "1", "--json"]);
    expect(JSON.parse(bad.stdout)).toMatchObject({ id: "delta-log", correct: false, expected: "B. In the _delta_log folder" });
    // ordering: letters of the shown steps, in the right order
    const shown = JSON.parse((await run(["ask", "--concept", "streaming", "--json"])).stdout).find((q: { id: string }) => q.id === "streaming-order").steps as string[];
    const order = ["Read new offsets", "Process the batch", "Commit the offsets"].map((s) => String.fromCharCode(97 + shown.indexOf(s))).join(",");
    const ord = await run(["ask", "--answer", "streaming-order", order]);
    expect(ord.stdout).toMatch(/^Correct/);
    const stats = JSON.parse((await run(["stats", "--json"])).stdout);
    expect(stats).toMatchObject({ answered: 2, attempts: 3, correct: 2 });
    expect(stats.byConcept[0]).toMatchObject({ concept: "delta", attempts: 2, correct: 1, accuracy: 0.5 });
  });
});

describe("exercise", () => {
  it("list, start, check, hint, reset", async () => {
    const work = join(dir, "ex");
    const env = { C360_QUIZ_WORKDIR: work };
    const list = await run(["exercise", "list", "--json"], { env });
    expect(JSON.parse(list.stdout).map((e: { id: string }) => e.id)).toEqual(["sql-count", "ts-add"]);

    const start = await run(["exercise", "start", "sql-count"], { env });
    expect(start.code).toBe(0);
    const file = join(work, "exercises", "sql-count", "sql-count.sql");
    expect(readFileSync(file, "utf8")).toBe(EXERCISES[0]!.starter);

    const fail = await run(["exercise", "check", "sql-count"], { env });
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain("✗ sql-count: not passing yet");
    expect(fail.stdout).toContain("  wrong number of rows: expected 3, got 1");

    const hint = await run(["exercise", "hint", "sql-count"], { env });
    expect(hint.stdout.trim()).toBe("Hint 1/2: Use GROUP BY.");
    expect((await run(["exercise", "hint", "sql-count"], { env })).stdout.trim()).toBe("Hint 2/2: count(*) counts rows.");

    writeFileSync(file, "SELECT country, count(*) n FROM customers GROUP BY country");
    const pass = await run(["exercise", "check", "sql-count", "--workdir", work]);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain("✓ sql-count: all checks pass");

    const again = await run(["exercise", "start", "sql-count"], { env });
    expect(again.stdout).toContain("kept your version");

    const reset = await run(["exercise", "reset", "sql-count"], { env });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/your version is saved at .*sql-count\.sql\.bak-/);
    expect(readFileSync(file, "utf8")).toBe(EXERCISES[0]!.starter);
    expect(readdirSync(join(work, "exercises", "sql-count")).some((f) => f.includes(".bak-"))).toBe(true);

    const stats = JSON.parse((await run(["stats", "--json"])).stdout);
    expect(stats.exercises).toMatchObject({ passed: 1, passedIds: ["sql-count"] });
  });

  it("check before start is a one-line error", async () => {
    const r = await run(["exercise", "check", "ts-add"], { env: { C360_QUIZ_WORKDIR: join(dir, "none") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not exist; run: c360-quiz exercise start ts-add/);
  });
});

describe("progress recovery through the CLI", () => {
  it("reports the backup of a corrupt progress file on stderr and still answers", async () => {
    const data = join(dir, "corrupt");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(data);
    writeFileSync(join(data, "progress.json"), "{oops");
    const r = await run(["stats", "--json"], { env: { C360_QUIZ_DATA: data } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).answered).toBe(0);
    expect(r.stderr).toMatch(/the old file is kept at .*progress\.json\.bak-/);
    expect(readdirSync(data).some((f) => f.startsWith("progress.json.bak-"))).toBe(true);
    expect(existsSync(join(data, "progress.json"))).toBe(true);
  });
});
