/**
 * Grades a TypeScript exercise by running its hidden tests against the learner's code in an
 * isolated child process.
 *
 * The sandbox is a fresh temporary folder holding only:
 *   submission.js  the learner's code (TypeScript compiled by esbuild — the compiler tsx uses —
 *                  in this trusted process, with an inline source map so errors point at
 *                  submission.ts lines)
 *   tests.js       the exercise's tests.ts, compiled the same way
 *   harness.js, runner.js, package.json  (see sandbox-runtime.ts)
 *
 * and the child is `node --experimental-permission --allow-fs-read=<that folder> --frozen-intrinsics
 * --max-old-space-size=<memoryMb> runner.js` (`--permission` on Node ≥ 22.13), with an empty
 * environment and a wall-clock timeout. So the submission can read nothing but its own folder,
 * write nowhere, start no process or worker, load no native addon, not patch the intrinsics or
 * the assert module the tests use, and not kill the grader; an infinite loop or a memory bomb
 * only kills the child.
 *
 * Why the code is compiled here rather than with `node --import tsx` in the child: tsx compiles
 * by spawning esbuild's service process and registers its loader in a worker thread, so the
 * child would need --allow-child-process and --allow-worker, and a child process is not bound
 * by the permission model: the submission could then simply spawn `cat /etc/passwd`.
 *
 * Limits of Node's permission model (Node 20–22): it does not restrict the network; the
 * submission could open sockets (it still cannot read local files to send).
 */
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExerciseResult, TsExercise } from "../types.js";
import { HARNESS_JS, RUNNER_JS } from "./sandbox-runtime.js";

export interface TsGradeOptions {
  /** Wall-clock limit for the whole child process, default 10 000 ms. */
  timeoutMs?: number;
  /** V8 heap limit of the child (--max-old-space-size), default 256 MB. */
  memoryMb?: number;
  /** Where the sandbox folder is created (default: the OS temp folder). */
  tmpDir?: string;
}

export const DEFAULT_TS_TIMEOUT_MS = 10_000;
export const DEFAULT_TS_MEMORY_MB = 256;

/** The permission-model flag of the running Node: --experimental-permission before 22.13. */
export function permissionFlag(version: string = process.versions.node): string {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 13) ? "--permission" : "--experimental-permission";
}

/** Test names declared in a tests file: test("name", …) with a literal name. */
export function declaredTestNames(tests: string): string[] {
  const out: string[] = [];
  const re = /\btest\(\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1\s*,/g;
  for (let m = re.exec(tests); m; m = re.exec(tests)) out.push(m[2]!.replace(/\\(.)/g, "$1"));
  return out;
}

interface CompileError {
  message: string;
}

async function compileTs(code: string, file: string): Promise<{ js: string } | CompileError> {
  const esbuild = await import("esbuild");
  try {
    const r = await esbuild.transform(code, { loader: "ts", format: "esm", target: "node20", sourcemap: "inline", sourcefile: file, logLevel: "silent" });
    return { js: r.code };
  } catch (e) {
    const errs = (e as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors;
    if (errs?.length) return { message: errs.slice(0, 3).map((x) => `${file}${x.location ? `:${x.location.line}:${x.location.column + 1}` : ""}: ${x.text}`).join("; ") };
    return { message: `${file}: ${(e as Error).message}` };
  }
}

interface ChildOutcome {
  stdoutTail: string[];
  stderr: string;
  line?: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

function runChild(dir: string, nonce: string, opts: Required<Pick<TsGradeOptions, "timeoutMs" | "memoryMb">>): Promise<ChildOutcome> {
  const args = [
    permissionFlag(), `--allow-fs-read=${dir}`,
    "--frozen-intrinsics", `--max-old-space-size=${opts.memoryMb}`, "--enable-source-maps", "--no-warnings",
    join(dir, "runner.js"),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: { TZ: "UTC", LANG: "C.UTF-8" }, stdio: ["pipe", "pipe", "pipe"] });
    let timedOut = false;
    let line: string | undefined;
    const tail: string[] = [];
    let partial = "";
    let stderr = "";
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      partial += chunk;
      let nl: number;
      while ((nl = partial.indexOf("\n")) >= 0) {
        const l = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        if (line === undefined && l.startsWith(`${nonce} `)) line = l.slice(nonce.length + 1);
        else if (l.trim()) {
          tail.push(l.length > 300 ? `${l.slice(0, 297)}…` : l);
          if (tail.length > 10) tail.shift();
        }
      }
      if (partial.length > 100_000) partial = partial.slice(-1000); // a line that never ends
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    child.stdin.on("error", () => undefined); // the child may exit before reading stdin
    child.stdin.end(JSON.stringify({ nonce, testTimeoutMs: Math.max(1000, opts.timeoutMs - 1000) }));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ stdoutTail: tail, stderr, line, code, signal, timedOut });
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ stdoutTail: tail, stderr: String(err), line, code: null, signal: null, timedOut });
    });
  });
}

function lastLines(s: string, n: number): string {
  return s.split("\n").map((l) => l.trim()).filter(Boolean).slice(-n).join(" | ");
}

/**
 * Runs the exercise's tests against `learnerCode`. Score = tests passed / tests declared; passed
 * only when every test passes. Problems with the submission (compile errors, crashes, timeouts,
 * sandbox denials) are messages, not exceptions; a broken tests.ts throws.
 */
export async function gradeTs(exercise: TsExercise, learnerCode: string, opts: TsGradeOptions = {}): Promise<ExerciseResult> {
  const t0 = performance.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TS_TIMEOUT_MS;
  const memoryMb = opts.memoryMb ?? DEFAULT_TS_MEMORY_MB;
  const done = (passed: boolean, score: number, messages: string[]): ExerciseResult => ({ passed, score, messages, durationMs: Math.round(performance.now() - t0) });

  const expected = declaredTestNames(exercise.tests);
  if (expected.length === 0) throw new Error(`Exercise ${exercise.id}: tests.ts declares no test("name", …) calls`);
  const tests = await compileTs(exercise.tests, "tests.ts");
  if ("message" in tests) throw new Error(`Exercise ${exercise.id}: tests.ts does not compile: ${tests.message}`);
  const submission = await compileTs(learnerCode, "submission.ts");
  if ("message" in submission) return done(false, 0, [`your code does not compile: ${submission.message}`]);

  const dir = realpathSync(mkdtempSync(join(opts.tmpDir ?? tmpdir(), "c360-grade-ts-")));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    writeFileSync(join(dir, "harness.js"), HARNESS_JS);
    writeFileSync(join(dir, "runner.js"), RUNNER_JS);
    writeFileSync(join(dir, "tests.js"), tests.js);
    writeFileSync(join(dir, "submission.js"), submission.js);
    const nonce = randomBytes(24).toString("hex");
    const out = await runChild(dir, nonce, { timeoutMs, memoryMb });

    if (out.timedOut) return done(false, 0, [`timed out after ${Math.round(timeoutMs / 1000)} s (infinite loop?)`]);
    if (out.line === undefined) {
      const oom = /heap out of memory|Reached heap limit|Allocation failed/i.test(out.stderr);
      if (oom) return done(false, 0, [`ran out of memory (the limit is ${memoryMb} MB): look for a loop that keeps growing an array or string`]);
      if (out.code === 13) return done(false, 0, ["the tests did not finish: your module never finished loading (a top-level await on a promise that never settles?)"]);
      const why = out.signal ? `was killed by ${out.signal}` : `exited with code ${out.code}`;
      const detail = lastLines(out.stderr, 3) || out.stdoutTail.slice(-3).join(" | ");
      return done(false, 0, [`the tests did not finish: the process ${why} before reporting${detail ? ` (${detail.slice(0, 500)})` : ""}`]);
    }
    let report: { loadError: string | null; results: { name: string; ok: boolean; message: string }[] };
    try {
      report = JSON.parse(out.line);
    } catch {
      return done(false, 0, ["the test report could not be read"]);
    }
    if (report.loadError) return done(false, 0, [`your code could not be loaded: ${report.loadError}`]);

    const messages: string[] = [];
    let passed = 0;
    for (const name of expected) {
      const rs = report.results.filter((r) => r.name === name);
      if (rs.length === 0) {
        messages.push(`✗ ${name}: did not run`);
        continue;
      }
      const failed = rs.find((r) => !r.ok);
      if (failed) messages.push(`✗ ${name}: ${failed.message}`);
      else passed++;
    }
    const all = passed === expected.length;
    messages.unshift(all ? `all ${expected.length} tests passed` : `${passed} of ${expected.length} tests passed`);
    return done(all, Math.round((passed / expected.length) * 1000) / 1000, messages);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
