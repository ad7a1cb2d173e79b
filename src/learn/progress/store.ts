/**
 * The progress store: one JSON file per user (see paths.ts), loaded defensively and written
 * atomically. A corrupt or old-format file is never silently replaced: it is first copied to
 * `progress.json.bak-<timestamp>`, then recovered (old formats are migrated, unreadable entries
 * skipped, unparseable files restarted empty) and the caller gets a notice naming the backup.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { Answer, ExerciseResult } from "../types.js";
import { backupFile, writeFileAtomic, type AtomicWriteHooks } from "./atomic.js";
import { migrate } from "./migrate.js";
import { progressFile, resolveDataDir, type DataDirOptions } from "./paths.js";
import { emptyProgress, PROGRESS_VERSION, type AnswerSource, type AssignmentProgress, type CardState, type DailyCounts, type MockResult, type ProgressV1 } from "./schema.js";
import { isObject } from "./validate.js";

export class ProgressError extends Error {
  override name = "ProgressError";
}

export interface OpenOptions extends DataDirOptions {
  now?: () => Date;
  /** Test hook for the atomic writer. */
  writeHooks?: AtomicWriteHooks;
}

interface LoadOutcome {
  progress: ProgressV1;
  notices: string[];
  /** The file content must be rewritten (it was recovered or migrated). */
  rewrite: boolean;
  backup?: string;
}

function describeDropped(dropped: string[]): string {
  const shown = dropped.slice(0, 3).join(", ");
  return dropped.length > 3 ? `${shown} and ${dropped.length - 3} more` : shown;
}

/** Reads and, if needed, recovers a progress file. Pure apart from writing the backup copy. */
export function loadProgressFile(file: string, now: Date = new Date()): LoadOutcome {
  if (!existsSync(file)) return { progress: emptyProgress(now), notices: [], rewrite: false };
  const text = readFileSync(file, "utf8");
  let parsed: unknown;
  let parseError: string | undefined;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    parseError = (e as Error).message;
  }
  if (parseError !== undefined || !isObject(parsed)) {
    const backup = backupFile(file, now);
    const why = parseError !== undefined ? (text.trim() === "" ? "it is empty" : `it is not valid JSON (${parseError})`) : "it does not hold a JSON object";
    return {
      progress: emptyProgress(now),
      notices: [`Progress file ${file} could not be read: ${why}. Started fresh; the old file is kept at ${backup}.`],
      rewrite: true,
      backup,
    };
  }
  const version = parsed["version"];
  if (typeof version === "number" && Number.isInteger(version) && version > PROGRESS_VERSION) {
    throw new ProgressError(`${file} was written by a newer c360-quiz (format version ${version}, this one reads ${PROGRESS_VERSION}); upgrade c360-quiz or use another --data-dir`);
  }
  if (version !== undefined && version !== 0 && version !== PROGRESS_VERSION) {
    const backup = backupFile(file, now);
    return {
      progress: emptyProgress(now),
      notices: [`Progress file ${file} has an unknown format version ${JSON.stringify(version).slice(0, 40)}. Started fresh; the old file is kept at ${backup}.`],
      rewrite: true,
      backup,
    };
  }
  const m = migrate(parsed, now);
  if (m.from === PROGRESS_VERSION && m.dropped.length === 0) return { progress: m.progress, notices: [], rewrite: false };
  const backup = backupFile(file, now);
  const notices: string[] = [];
  if (m.from !== PROGRESS_VERSION) notices.push(`Progress file ${file} was in format version ${m.from}; migrated to version ${PROGRESS_VERSION}. The old file is kept at ${backup}.`);
  if (m.dropped.length > 0) notices.push(`${m.dropped.length} unreadable progress entr${m.dropped.length === 1 ? "y was" : "ies were"} skipped (${describeDropped(m.dropped)}); the original file is kept at ${backup}.`);
  return { progress: m.progress, notices, rewrite: true, backup };
}

function fileStampOf(file: string): string | undefined {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return undefined;
  }
}

export class ProgressStore {
  readonly file: string;
  readonly dir: string;
  data: ProgressV1;
  /** Messages for the user about recovery or migration (empty for a healthy file). */
  readonly notices: string[];
  readonly backups: string[] = [];
  private readonly clock: () => Date;
  private readonly hooks: AtomicWriteHooks;
  private stamp: string | undefined;

  private constructor(dir: string, opts: OpenOptions) {
    this.dir = dir;
    this.file = progressFile(dir);
    this.clock = opts.now ?? (() => new Date());
    this.hooks = opts.writeHooks ?? {};
    const out = loadProgressFile(this.file, this.clock());
    this.data = out.progress;
    this.notices = [...out.notices];
    if (out.backup) this.backups.push(out.backup);
    if (out.rewrite) this.save();
    else this.stamp = fileStampOf(this.file);
  }

  /** Opens (and recovers if needed) the progress of the data dir given by the options/env. */
  static open(opts: OpenOptions = {}): ProgressStore {
    return new ProgressStore(resolveDataDir(opts), opts);
  }

  now(): Date {
    return this.clock();
  }

  /** Writes the current data atomically. */
  save(): void {
    this.data.updatedAt = this.clock().toISOString();
    writeFileAtomic(this.file, JSON.stringify(this.data, null, 2) + "\n", this.hooks);
    this.stamp = fileStampOf(this.file);
  }

  /** Re-reads the file if another process (e.g. the CLI while the TUI runs) changed it. */
  refresh(): void {
    const s = fileStampOf(this.file);
    if (s === undefined || s === this.stamp) return;
    const out = loadProgressFile(this.file, this.clock());
    this.data = out.progress;
    this.notices.push(...out.notices);
    if (out.backup) this.backups.push(out.backup);
    if (out.rewrite) this.save();
    else this.stamp = s;
  }

  /** Read-modify-write: picks up other writers' changes, applies `fn`, saves atomically. */
  update(fn: (p: ProgressV1) => void): void {
    this.refresh();
    fn(this.data);
    this.save();
  }

  recordAnswer(itemId: string, rec: { correct: boolean; score: number; source: AnswerSource; answer?: Answer }): void {
    const at = this.clock().toISOString();
    this.update((p) => {
      const list = Object.hasOwn(p.answers, itemId) ? p.answers[itemId]! : (p.answers[itemId] = []);
      list.push({ at, correct: rec.correct, score: rec.score, source: rec.source, ...(rec.answer !== undefined ? { answer: rec.answer } : {}) });
    });
  }

  setCard(cardId: string, state: CardState, daily?: DailyCounts): void {
    this.update((p) => {
      p.cards[cardId] = state;
      if (daily) p.daily = daily;
    });
  }

  exerciseStarted(id: string): void {
    const at = this.clock().toISOString();
    this.update((p) => {
      if (!Object.hasOwn(p.exercises, id)) p.exercises[id] = { status: "started", attempts: 0, startedAt: at, hintsShown: 0 };
    });
  }

  exerciseChecked(id: string, result: Pick<ExerciseResult, "passed" | "score">): void {
    const at = this.clock().toISOString();
    this.update((p) => {
      const ex = Object.hasOwn(p.exercises, id) ? p.exercises[id]! : (p.exercises[id] = { status: "started", attempts: 0, startedAt: at, hintsShown: 0 });
      ex.attempts += 1;
      ex.lastCheckedAt = at;
      ex.lastScore = result.score;
      if (result.passed && ex.status !== "passed") {
        ex.status = "passed";
        ex.passedAt = at;
      }
    });
  }

  setHintsShown(id: string, n: number): void {
    const at = this.clock().toISOString();
    this.update((p) => {
      const ex = Object.hasOwn(p.exercises, id) ? p.exercises[id]! : (p.exercises[id] = { status: "started", attempts: 0, startedAt: at, hintsShown: 0 });
      ex.hintsShown = Math.max(ex.hintsShown, n);
    });
  }

  addMock(result: MockResult): void {
    this.update((p) => {
      p.mocks.push(result);
    });
  }

  setAssignment(id: string, a: AssignmentProgress): void {
    this.update((p) => {
      p.assignments[id] = a;
    });
  }
}
