/**
 * Atomic file replacement: the new content is written to a temporary file in the same directory,
 * flushed to disk, then renamed over the target. Readers see the old file or the new one, never
 * a half-written one; a crash leaves at most a stray `*.tmp-*` file, never a truncated target.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteHooks {
  /** Called after the temp file is complete and before the rename (tests simulate crashes here). */
  beforeRename?: (tmpPath: string) => void;
}

export function writeFileAtomic(file: string, data: string | Uint8Array, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  const fd = openSync(tmp, "wx", 0o644);
  try {
    try {
      writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(tmp);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  // Make the rename itself durable; not supported everywhere (e.g. Windows), so best effort.
  try {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* directory fsync unsupported */
  }
}

/** `2026-12-01T23-59-00-000Z`: an ISO timestamp that is a valid file name everywhere. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[:.]/g, "-");
}

/**
 * Copies `file` to `<file>.bak-<timestamp>` (adding `-2`, `-3`… if that exists) and returns the
 * backup's path.
 */
export function backupFile(file: string, now: Date = new Date(), label = "bak"): string {
  const base = `${file}.${label}-${fileStamp(now)}`;
  let target = base;
  for (let i = 2; existsSync(target); i++) target = `${base}-${i}`;
  copyFileSync(file, target, constants.COPYFILE_EXCL);
  return target;
}
