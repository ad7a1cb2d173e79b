/**
 * Exercise checkers: `await check("01.2-merge-batch-3", spark)` grades the learner's answer
 * in place, against what the library itself computes, and prints what went wrong plus hints.
 *
 * Each exercise has an id (`<notebook>.<n>-<slug>`), a title, hints, and a grader. Graders
 * recompute the expected result their own way — usually straight from the raw sample files with
 * a query written independently of the notebook's solution — so an answer passes because it is
 * right, not because it matches one particular spelling. A result is displayed as a green or a
 * red box, and recorded in the output's metadata (`c360-check`), which the notebook tests read:
 * a solved notebook whose checks do not all pass fails its test.
 *
 * @example
 *   await check("01.1-time-travel", spark, spark.sql("SELECT … VERSION AS OF 1 …"));
 *
 * (Positional arguments on purpose: the tslab kernel does not carry a variable from an earlier
 * cell into an object shorthand such as `{ spark }`; it stays undefined.)
 */
import type { SparkSession } from "../lakehouse/sql/session.js";
import { escapeHtml, html } from "./display.js";
import { box } from "./html.js";
import { EXERCISES_01 } from "./exercises/01-delta-lake.js";
import { EXERCISES_02 } from "./exercises/02-auto-loader.js";
import { EXERCISES_03 } from "./exercises/03-streaming-cdc.js";
import { EXERCISES_04 } from "./exercises/04-declarative-pipelines.js";
import { EXERCISES_05 } from "./exercises/05-expectations.js";
import type { Exercise, Verdict } from "./exercises/types.js";

export type { Exercise, Verdict } from "./exercises/types.js";

const REGISTRY = new Map<string, Exercise>();
for (const e of [...EXERCISES_01, ...EXERCISES_02, ...EXERCISES_03, ...EXERCISES_04, ...EXERCISES_05]) REGISTRY.set(e.id, e);

/** Every exercise the checkers know, in notebook order. */
export function exercises(): Exercise[] {
  return [...REGISTRY.values()];
}

export interface CheckResult {
  id: string;
  passed: boolean;
  message: string;
  hints: string[];
}

/**
 * Grades exercise `id` and displays the verdict (with hints when it fails). `answer` is what the
 * exercise asks for, when it asks for a value (a DataFrame or `spark.sql(…)`, rows, a number …);
 * exercises about the state of a table need none.
 */
export async function check(id: string, spark: SparkSession, answer?: unknown): Promise<void> {
  await grade(id, spark, answer, true);
}

/** Grades exercise `id` and returns the verdict; with `show`, also displays it (what `check` does). */
export async function grade(id: string, spark: SparkSession, answer?: unknown, show = false): Promise<CheckResult> {
  const ex = REGISTRY.get(id);
  if (!ex) {
    const known = [...REGISTRY.keys()].join(", ");
    throw new Error(`check(): unknown exercise '${id}'. Known exercises: ${known}.`);
  }
  let verdict: Verdict;
  try {
    verdict = await ex.grade(spark, await answer);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    verdict = { ok: false, message: `Checking your answer failed with an error: ${msg}`, hints: [0] };
  }
  const hints = verdict.ok ? [] : (verdict.hints ?? ex.hints.map((_, i) => i)).map((i) => ex.hints[i]!).filter((h) => h !== undefined);
  const result: CheckResult = { id, passed: verdict.ok, message: verdict.message, hints };
  if (!show) return result;
  const hintHtml = hints.length ? `<div style="margin-top: 6px;"><b>Hints</b><ul style="margin: 2px 0; padding-left: 20px;">${hints.map((h) => `<li>${escapeHtml(h)}</li>`).join("")}</ul></div>` : "";
  const title = `${verdict.ok ? "✔ Passed" : "✘ Not yet"}: ${ex.title}`;
  const markup = box(verdict.ok ? "ok" : "fail", title, `<div style="white-space: pre-wrap;">${escapeHtml(verdict.message)}</div>${hintHtml}`);
  const text = [title, verdict.message, ...hints.map((h) => `  hint: ${h}`)].join("\n");
  html(markup, text, { "c360-check": { id, passed: verdict.ok } });
  return result;
}
