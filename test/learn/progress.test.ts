/**
 * The progress store: XDG paths, atomic writes, and recovery — a corrupt or old file is backed
 * up, never silently wiped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProgressError, ProgressStore, resolveDataDir, writeFileAtomic } from "../../src/learn/progress/index.js";
import { removeDir, tempDir } from "../tui/fixtures.js";

let dir: string;
const T0 = new Date("2026-03-01T10:00:00Z");
const clock = () => T0;

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

function backups(): string[] {
  return readdirSync(dir).filter((f) => f.startsWith("progress.json.bak-"));
}

describe("data directory", () => {
  it("prefers --data-dir, then C360_QUIZ_DATA, then $XDG_DATA_HOME/c360-lab, then ~/.local/share/c360-lab", () => {
    const env = { C360_QUIZ_DATA: "/e/quiz", XDG_DATA_HOME: "/x/data" };
    expect(resolveDataDir({ dataDir: "/flag", env })).toBe("/flag");
    expect(resolveDataDir({ env })).toBe("/e/quiz");
    expect(resolveDataDir({ env: { XDG_DATA_HOME: "/x/data" } })).toBe("/x/data/c360-lab");
    expect(resolveDataDir({ env: { XDG_DATA_HOME: "relative/ignored" }, home: "/home/ada" })).toBe("/home/ada/.local/share/c360-lab");
    expect(resolveDataDir({ env: {}, home: "/home/ada" })).toBe("/home/ada/.local/share/c360-lab");
  });
});

describe("atomic write", () => {
  it("writes a versioned file and leaves no temp files behind", () => {
    const store = ProgressStore.open({ dataDir: dir, now: clock });
    store.recordAnswer("delta-log", { correct: true, score: 1, source: "practice", answer: 1 });
    const onDisk = JSON.parse(readFileSync(join(dir, "progress.json"), "utf8"));
    expect(onDisk.version).toBe(1);
    expect(onDisk.answers["delta-log"]).toEqual([{ at: T0.toISOString(), correct: true, score: 1, source: "practice", answer: 1 }]);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("keeps the previous file intact when the process dies before the rename", () => {
    const file = join(dir, "progress.json");
    writeFileAtomic(file, '{"old": true}');
    expect(() =>
      writeFileAtomic(file, '{"new": true}', {
        beforeRename: (tmp) => {
          expect(readFileSync(tmp, "utf8")).toBe('{"new": true}');
          throw new Error("simulated crash");
        },
      }),
    ).toThrow("simulated crash");
    expect(readFileSync(file, "utf8")).toBe('{"old": true}');
    expect(readdirSync(dir)).toEqual(["progress.json"]);
  });

  it("a failed save through the store leaves the last good progress on disk", () => {
    let crash = false;
    const store = ProgressStore.open({ dataDir: dir, now: clock, writeHooks: { beforeRename: () => { if (crash) throw new Error("disk full"); } } });
    store.recordAnswer("a", { correct: true, score: 1, source: "cli" });
    crash = true;
    expect(() => store.recordAnswer("b", { correct: false, score: 0, source: "cli" })).toThrow("disk full");
    const reopened = ProgressStore.open({ dataDir: dir, now: clock });
    expect(Object.keys(reopened.data.answers)).toEqual(["a"]);
  });

  it("picks up changes another process made before writing (no lost update)", () => {
    const a = ProgressStore.open({ dataDir: dir, now: clock });
    const b = ProgressStore.open({ dataDir: dir, now: clock });
    a.recordAnswer("one", { correct: true, score: 1, source: "cli" });
    b.recordAnswer("two", { correct: true, score: 1, source: "practice" });
    const c = ProgressStore.open({ dataDir: dir, now: clock });
    expect(Object.keys(c.data.answers).sort()).toEqual(["one", "two"]);
  });
});

describe("recovery", () => {
  it("backs up a corrupt file, starts fresh and says where the backup is", () => {
    const bytes = '{"version": 1, "answers": {"delta-log": [{"at": "2026-01-01T00:00:00Z", "correct": tr';
    writeFileSync(join(dir, "progress.json"), bytes);
    const store = ProgressStore.open({ dataDir: dir, now: clock });
    expect(backups()).toHaveLength(1);
    const backup = join(dir, backups()[0]!);
    expect(backup).toBe(join(dir, "progress.json.bak-2026-03-01T10-00-00-000Z"));
    expect(readFileSync(backup, "utf8")).toBe(bytes); // the history is not lost: it is in the backup, byte for byte
    expect(store.notices.join("\n")).toContain(backup);
    expect(store.notices[0]).toMatch(/not valid JSON/);
    expect(store.data.answers).toEqual({});
    // The fresh file is valid, so the next start is quiet and makes no second backup.
    const again = ProgressStore.open({ dataDir: dir, now: clock });
    expect(again.notices).toEqual([]);
    expect(backups()).toHaveLength(1);
  });

  it("an empty file is treated as corrupt too (and backed up)", () => {
    writeFileSync(join(dir, "progress.json"), "");
    const store = ProgressStore.open({ dataDir: dir, now: clock });
    expect(store.notices[0]).toMatch(/empty/);
    expect(backups()).toHaveLength(1);
  });

  it("keeps every readable entry of a damaged version-1 file", () => {
    const raw = {
      version: 1,
      answers: {
        "delta-log": [{ at: "2026-01-01T00:00:00Z", correct: true, score: 1, source: "practice" }, { at: "garbage" }],
        "delta-vacuum": "not a list",
        __proto__: [],
      },
      cards: { "fc-log": { due: "2026-01-02T00:00:00Z", stability: 3, difficulty: 5, elapsedDays: 0, scheduledDays: 3, learningSteps: 0, reps: 2, lapses: 0, state: 2 }, "fc-bad": { due: 5 } },
      exercises: { "sql-count": { status: "passed", attempts: 3, startedAt: "2026-01-01T00:00:00Z", hintsShown: 1 } },
      mocks: [{ startedAt: "2026-01-01T00:00:00Z", total: 10, correct: 7 }, 42],
    };
    writeFileSync(join(dir, "progress.json"), JSON.stringify(raw));
    const store = ProgressStore.open({ dataDir: dir, now: clock });
    expect(store.data.answers["delta-log"]).toHaveLength(1);
    expect(store.data.answers["delta-vacuum"]).toBeUndefined();
    expect(Object.getPrototypeOf(store.data.answers)).toBe(Object.prototype);
    expect(Object.keys(store.data.cards)).toEqual(["fc-log"]);
    expect(store.data.exercises["sql-count"]?.status).toBe("passed");
    expect(store.data.mocks).toHaveLength(1);
    expect(backups()).toHaveLength(1);
    expect(store.notices[0]).toMatch(/unreadable progress entries were skipped/);
    expect(store.notices[0]).toContain(backups()[0]!);
  });

  it("migrates the version-0 prototype format and keeps the old file", () => {
    const v0 = {
      answers: { "delta-log": { correct: 2, wrong: 1, last: "2025-12-24T09:00:00Z" }, "delta-vacuum": [{ correct: false, at: "2025-12-20T09:00:00Z" }] },
      flashcards: { "fc-log": { due: "2026-03-05T00:00:00Z", interval: 6, ease: 2.5, reps: 4, lapses: 1 } },
      exercises: { "sql-count": "passed", "ts-add": { status: "started", attempts: 2 } },
      mocks: [{ date: "2025-12-01T10:00:00Z", correct: 6, total: 10 }],
    };
    const text = JSON.stringify(v0);
    writeFileSync(join(dir, "progress.json"), text);
    const store = ProgressStore.open({ dataDir: dir, now: clock });
    expect(store.data.version).toBe(1);
    const hist = store.data.answers["delta-log"]!;
    expect(hist.map((h) => h.correct)).toEqual([false, true, true]);
    expect(hist.every((h) => h.source === "migrated" && h.at === "2025-12-24T09:00:00.000Z")).toBe(true);
    expect(store.data.answers["delta-vacuum"]).toEqual([{ at: "2025-12-20T09:00:00.000Z", correct: false, score: 0, source: "migrated" }]);
    const card = store.data.cards["fc-log"]!;
    expect(card).toMatchObject({ due: "2026-03-05T00:00:00.000Z", state: 2, reps: 4, lapses: 1, scheduledDays: 6 });
    expect(store.data.exercises["sql-count"]?.status).toBe("passed");
    expect(store.data.exercises["ts-add"]).toMatchObject({ status: "started", attempts: 2 });
    expect(store.data.mocks[0]).toMatchObject({ correct: 6, total: 10, score: 0.6 });
    expect(store.notices[0]).toMatch(/format version 0; migrated to version 1/);
    expect(readFileSync(join(dir, backups()[0]!), "utf8")).toBe(text);
    expect(JSON.parse(readFileSync(join(dir, "progress.json"), "utf8")).version).toBe(1);
  });

  it("refuses a file from a newer version instead of overwriting it", () => {
    const text = JSON.stringify({ version: 2, answers: {} });
    writeFileSync(join(dir, "progress.json"), text);
    expect(() => ProgressStore.open({ dataDir: dir, now: clock })).toThrow(ProgressError);
    expect(readFileSync(join(dir, "progress.json"), "utf8")).toBe(text);
    expect(backups()).toEqual([]);
  });

  it("never overwrites an earlier backup with the same timestamp", () => {
    writeFileSync(join(dir, "progress.json"), "{broken");
    ProgressStore.open({ dataDir: dir, now: clock });
    writeFileSync(join(dir, "progress.json"), "{broken again");
    ProgressStore.open({ dataDir: dir, now: clock });
    expect(backups().sort()).toEqual(["progress.json.bak-2026-03-01T10-00-00-000Z", "progress.json.bak-2026-03-01T10-00-00-000Z-2"]);
  });

  it("creates the data directory on first save", () => {
    const nested = join(dir, "a", "b");
    const store = ProgressStore.open({ dataDir: nested, now: clock });
    expect(existsSync(nested)).toBe(false);
    store.exerciseStarted("sql-count");
    expect(existsSync(join(nested, "progress.json"))).toBe(true);
    mkdirSync(join(dir, "unused"));
  });
});

describe("store operations", () => {
  it("tracks exercise status, attempts and hints; mocks and assignments", () => {
    const store = ProgressStore.open({ dataDir: dir, now: clock });
    store.exerciseStarted("sql-count");
    store.exerciseChecked("sql-count", { passed: false, score: 0.5 });
    store.exerciseChecked("sql-count", { passed: true, score: 1 });
    store.setHintsShown("sql-count", 1);
    store.addMock({ startedAt: T0.toISOString(), finishedAt: T0.toISOString(), timeLimitSec: 900, elapsedSec: 300, timedOut: false, total: 2, answered: 2, correct: 1, score: 0.5, byConcept: { delta: { total: 2, correct: 1 } }, itemIds: ["a", "b"] });
    store.setAssignment("hw1-abc", { title: "HW1", file: "/a.json", workDir: "/w", startedAt: T0.toISOString() });
    const re = ProgressStore.open({ dataDir: dir, now: clock });
    expect(re.data.exercises["sql-count"]).toMatchObject({ status: "passed", attempts: 2, hintsShown: 1, lastScore: 1, passedAt: T0.toISOString() });
    expect(re.data.mocks).toHaveLength(1);
    expect(re.data.assignments["hw1-abc"]?.title).toBe("HW1");
    expect(re.notices).toEqual([]);
  });
});
