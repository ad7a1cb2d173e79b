/**
 * The capabilities the Delta kernel needs from the outside world. The kernel itself does no I/O:
 * it is handed an Engine (see ../engine/duckdb-engine.ts) and stays testable without DuckDB.
 * Contracts use MUST in the sense of delta-kernel-rs's engine traits.
 */
import type { Action } from "./actions.js";

export interface FileInfo {
  /** Absolute path. */
  path: string;
  /** Base name within the listed directory (relative path for recursive listings). */
  name: string;
  size: number;
  /** Modification time, epoch milliseconds. */
  mtime: number;
}

export interface Storage {
  /**
   * Entries of one directory, files only. MUST be sorted by name. An absent directory lists
   * empty. With `withStats: false`, size and mtime are -1 (no per-file stat): listing a log of
   * thousands of commits then costs one readdir.
   */
  list(dir: string, opts?: { withStats?: boolean }): Promise<FileInfo[]>;
  /** Size and modification time of one file. */
  stat(path: string): Promise<{ size: number; mtime: number }>;
  /** Every file below `dir`, names relative to it with `/` separators. */
  listRecursive(dir: string): Promise<FileInfo[]>;
  readText(path: string): Promise<string>;
  readBytes(path: string): Promise<Uint8Array>;
  exists(path: string): Promise<boolean>;
  /**
   * Atomically creates `path` with the whole of `content`, or returns false when it already
   * exists. MUST never expose a partially written file under `path` and MUST never overwrite.
   * This is the only atomic primitive the transaction log relies on.
   */
  putIfAbsent(path: string, content: string): Promise<boolean>;
  /** Replaces `path` as a whole (write to a temporary name, then rename). */
  writeAtomic(path: string, content: string | Uint8Array): Promise<void>;
  delete(path: string): Promise<void>;
  mkdirs(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export interface Engine {
  storage: Storage;
  /** Reads the rows of checkpoint parquet files as log actions (one action per row). */
  readCheckpointActions(paths: string[]): Promise<Action[]>;
  /** Writes a classic single-file checkpoint parquet holding `actions`. */
  writeCheckpoint(path: string, actions: Action[]): Promise<{ sizeInBytes: number }>;
}
