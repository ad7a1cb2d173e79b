/**
 * The two plain-JavaScript files copied next to the learner's code in a TypeScript exercise's
 * sandbox folder (see ts.ts):
 *
 * harness.js — what an exercise's tests.ts imports:
 *
 *     import { test } from "./harness.js";
 *     import assert from "node:assert/strict";
 *     import { sessionize } from "./submission.js";
 *
 *     test("a 31-minute gap starts a new session", () => {
 *       assert.deepEqual(sessionize(events), [[…], […]]);
 *     });
 *
 *   test(name, fn) registers a test (names must be unique; fn may be async).
 *
 * runner.js — the child process's entry point. It reads {nonce, testTimeoutMs} from stdin
 * before any submitted code runs, hardens what the tests rely on (the assert modules are frozen;
 * the intrinsics are frozen by Node's --frozen-intrinsics; process.kill and process.exit are
 * disabled), imports tests.js (which imports submission.js), runs each test with a time limit,
 * and prints one line:  <nonce> {"loadError": …, "results": [{"name", "ok", "message"}]}.
 * The submission cannot know the nonce, so it cannot forge that line.
 */

export const HARNESS_JS = String.raw`
const registry = [];
const names = new Set();
let sealed = false;

export function test(name, fn) {
  if (sealed) throw new Error("test() was called after the tests were collected");
  if (typeof name !== "string" || typeof fn !== "function") throw new TypeError("test(name, fn) needs a string and a function");
  if (names.has(name)) throw new Error("duplicate test name: " + name);
  names.add(name);
  registry.push({ name, fn });
}

/** Used once by the runner. */
export function collect() {
  if (sealed) throw new Error("the tests were already collected");
  sealed = true;
  return registry.slice();
}
`;

export const RUNNER_JS = String.raw`
import { readFileSync, writeSync } from "node:fs";
import assert from "node:assert";
import * as harness from "./harness.js";

// Everything the runner needs is captured before submitted code can run.
const write = writeSync;
const stringify = JSON.stringify;
const setTimer = setTimeout;
const clearTimer = clearTimeout;
const race = Promise.race.bind(Promise);
const exit = process.exit.bind(process);
const freeze = Object.freeze;
const isArray = Array.isArray;
const keysOf = Object.keys;

const input = JSON.parse(readFileSync(0, "utf8"));
const nonce = String(input.nonce);
const testTimeoutMs = Number(input.testTimeoutMs) || 5000;

freeze(assert);
freeze(assert.strict);
const blocked = (what) => () => { throw new Error(what + " is not allowed in the grading sandbox"); };
for (const [k, what] of [["kill", "process.kill()"], ["_kill", "process.kill()"], ["exit", "process.exit()"], ["abort", "process.abort()"]]) {
  try { Object.defineProperty(process, k, { value: blocked(what), writable: false, configurable: false }); } catch {}
}

function show(v, depth) {
  try {
    if (v === null) return "null";
    const t = typeof v;
    if (t === "string") return stringify(v.length > 200 ? v.slice(0, 197) + "…" : v);
    if (t === "bigint") return v + "n";
    if (t === "number" || t === "boolean" || t === "undefined") return String(v);
    if (t === "function") return "[function " + (v.name || "anonymous") + "]";
    if (t === "symbol") return "Symbol()";
    if (depth > 3) return "…";
    if (v instanceof Date) return "Date(" + (isNaN(v.getTime()) ? "invalid" : v.toISOString()) + ")";
    if (v instanceof Map) return "Map {" + [...v].slice(0, 20).map(([a, b]) => show(a, depth + 1) + " => " + show(b, depth + 1)).join(", ") + (v.size > 20 ? ", …" : "") + "}";
    if (v instanceof Set) return "Set {" + [...v].slice(0, 20).map((x) => show(x, depth + 1)).join(", ") + (v.size > 20 ? ", …" : "") + "}";
    if (v instanceof Error) return (v.name || "Error") + "(" + stringify(String(v.message)) + ")";
    if (isArray(v)) return "[" + v.slice(0, 20).map((x) => show(x, depth + 1)).join(", ") + (v.length > 20 ? ", … (" + v.length + " items)" : "") + "]";
    const ks = keysOf(v);
    return "{" + ks.slice(0, 20).map((k) => k + ": " + show(v[k], depth + 1)).join(", ") + (ks.length > 20 ? ", …" : "") + "}";
  } catch {
    return "(a value that cannot be displayed)";
  }
}

function describe(e) {
  try {
    if (e && typeof e === "object") {
      const name = typeof e.name === "string" ? e.name : "Error";
      let msg = typeof e.message === "string" ? e.message : "";
      if (e.code === "ERR_ASSERTION") {
        const values = "expected " + show(e.expected, 0) + ", got " + show(e.actual, 0);
        // A custom message comes first; newer Node versions append their own diff to it.
        msg = e.generatedMessage ? values : msg.split("\n")[0] + " (" + values + ")";
        return msg;
      }
      if (e.code === "ERR_ACCESS_DENIED") {
        return "access denied by the sandbox (" + (e.permission || "permission") + (e.resource ? ": " + e.resource : "") + "): submissions may not read or write files outside their folder, start processes or workers";
      }
      let where = "";
      if (typeof e.stack === "string") {
        const m = /submission\.ts:(\d+):(\d+)/.exec(e.stack);
        if (m) where = " (at submission.ts:" + m[1] + ":" + m[2] + ")";
      }
      return name + (typeof e.code === "string" ? " [" + e.code + "]" : "") + ": " + msg + where;
    }
    return "threw " + show(e, 0);
  } catch {
    return "an error that cannot be displayed";
  }
}

function clip(s) {
  s = String(s).replace(/\s*\n\s*/g, " ");
  return s.length > 700 ? s.slice(0, 697) + "…" : s;
}

let loadError = null;
let tests = [];
try {
  await import("./tests.js");
} catch (e) {
  loadError = describe(e);
}
try {
  tests = harness.collect();
} catch (e) {
  if (!loadError) loadError = describe(e);
}

let out = "[";
for (let i = 0; i < tests.length; i++) {
  const t = tests[i];
  let ok = false;
  let message = "";
  let timer;
  try {
    const r = t.fn();
    if (r && typeof r === "object" && typeof r.then === "function") {
      await race([r, new Promise((_, reject) => { timer = setTimer(() => reject(new Error("the test did not finish within " + testTimeoutMs / 1000 + " s (a promise that never settles, or an infinite loop?)")), testTimeoutMs); })]);
    }
    ok = true;
  } catch (e) {
    message = describe(e);
  } finally {
    if (timer !== undefined) clearTimer(timer);
  }
  out += (i ? "," : "") + "{\"name\":" + stringify(String(t.name)) + ",\"ok\":" + (ok ? "true" : "false") + ",\"message\":" + stringify(clip(message)) + "}";
}
out += "]";
write(1, "\n" + nonce + " {\"loadError\":" + (loadError === null ? "null" : stringify(clip(loadError))) + ",\"results\":" + out + "}\n");
exit(0);
`;
