/**
 * Delta's conflict rules for optimistic concurrency (delta-spark ConflictChecker). When our
 * commit loses the race for version N, each winning commit is checked against what our
 * transaction read and wrote. Each rule is one small named check, run in a fixed order; if all
 * pass, the commit is retried at the next version (this is where Delta retries by itself).
 */
import { LakehouseError } from "../errors.js";
import type { Action, AddFile, RemoveFile } from "./actions.js";
import type { Predicate } from "./predicate.js";
import { fileMayMatch } from "./data-skipping.js";
import type { StructType } from "./schema.js";

export type IsolationLevel = "WriteSerializable" | "Serializable";

/** What our transaction read and is about to write. */
export interface TxnFootprint {
  readVersion: number;
  isolationLevel: IsolationLevel;
  /** True when the commit only adds files and read nothing from the table. */
  isBlindAppend: boolean;
  /** Predicates of our reads of the table; `true` when the whole table was read. */
  readPredicates: (Predicate | true)[];
  /** Paths of the files our transaction read (and may have rewritten). */
  readFiles: Set<string>;
  /** Paths our commit removes. */
  removedPaths: Set<string>;
  /** Set when the commit changes metadata or protocol. */
  changesMetadata: boolean;
  appIds: Set<string>;
  schema: StructType;
  partitionColumns: string[];
}

abstract class ConcurrentModificationError extends LakehouseError {
  constructor(code: string, what: string, winning: { version: number; operation?: string }, params: Record<string, unknown> = {}) {
    super(code, `${what} Conflicting commit: version ${winning.version}${winning.operation ? ` (${winning.operation})` : ""}. Refresh your view of the table and retry the operation; to avoid this, make concurrent writers touch disjoint partitions and put the partition column in their conditions.`, { winningVersion: winning.version, ...params }, "2D521");
  }
}
export class ConcurrentAppendError extends ConcurrentModificationError {
  constructor(w: { version: number; operation?: string }, file: string) {
    super("DELTA_CONCURRENT_APPEND", `ConcurrentAppendException: Files were added to the table by a concurrent update that match data this operation read (e.g. ${file}).`, w, { file });
  }
}
export class ConcurrentDeleteReadError extends ConcurrentModificationError {
  constructor(w: { version: number; operation?: string }, file: string) {
    super("DELTA_CONCURRENT_DELETE_READ", `ConcurrentDeleteReadException: This transaction attempted to read file ${file}, which was deleted by a concurrent update.`, w, { file });
  }
}
export class ConcurrentDeleteDeleteError extends ConcurrentModificationError {
  constructor(w: { version: number; operation?: string }, file: string) {
    super("DELTA_CONCURRENT_DELETE_DELETE", `ConcurrentDeleteDeleteException: This transaction attempted to delete file ${file}, which was deleted by a concurrent update.`, w, { file });
  }
}
export class MetadataChangedError extends ConcurrentModificationError {
  constructor(w: { version: number; operation?: string }) {
    super("DELTA_METADATA_CHANGED", "MetadataChangedException: The metadata of the Delta table has been changed by a concurrent update.", w);
  }
}
export class ProtocolChangedError extends ConcurrentModificationError {
  constructor(w: { version: number; operation?: string }) {
    super("DELTA_PROTOCOL_CHANGED", "ProtocolChangedException: The protocol version of the Delta table has been changed by a concurrent update.", w);
  }
}
export class ConcurrentTransactionError extends ConcurrentModificationError {
  constructor(w: { version: number; operation?: string }, appId: string) {
    super("DELTA_CONCURRENT_TRANSACTION", `ConcurrentTransactionException: A concurrent writer committed the same application transaction id (${appId}). This usually means two copies of the same streaming query or job run.`, w, { appId });
  }
}

export interface WinningCommit {
  version: number;
  actions: Action[];
}

/** Throws the first conflict found between `winner` and our transaction. */
export function checkConflicts(ours: TxnFootprint, winner: WinningCommit): void {
  const info = winner.actions.find((a) => a.commitInfo)?.commitInfo;
  const w = { version: winner.version, operation: info?.operation };
  const adds: AddFile[] = [];
  const removes: RemoveFile[] = [];
  let winnerChangedProtocol = false;
  let winnerChangedMetadata = false;
  const winnerAppIds: string[] = [];
  for (const a of winner.actions) {
    if (a.add) adds.push(a.add);
    else if (a.remove) removes.push(a.remove);
    else if (a.protocol) winnerChangedProtocol = true;
    else if (a.metaData) winnerChangedMetadata = true;
    else if (a.txn) winnerAppIds.push(a.txn.appId);
  }
  checkProtocol(winnerChangedProtocol, w);
  checkMetadata(winnerChangedMetadata, w);
  checkAddedFilesWeShouldHaveRead(ours, adds, info?.isBlindAppend === true, w);
  checkDeletedFilesWeRead(ours, removes, w);
  checkDeletedFilesWeDelete(ours, removes, w);
  checkAppIds(ours, winnerAppIds, w);
}

function checkProtocol(changed: boolean, w: { version: number; operation?: string }) {
  if (changed) throw new ProtocolChangedError(w);
}

function checkMetadata(changed: boolean, w: { version: number; operation?: string }) {
  if (changed) throw new MetadataChangedError(w);
}

function checkAddedFilesWeShouldHaveRead(ours: TxnFootprint, adds: AddFile[], winnerBlindAppend: boolean, w: { version: number; operation?: string }) {
  if (ours.isBlindAppend || ours.readPredicates.length === 0) return;
  // Under WriteSerializable, rows appended blindly by others may land after ours in the
  // serial order, so they do not conflict; under Serializable they do.
  if (ours.isolationLevel === "WriteSerializable" && winnerBlindAppend) return;
  for (const add of adds) {
    if (!add.dataChange) continue;
    for (const p of ours.readPredicates) {
      if (p === true || fileMayMatch(add, p, ours.schema, ours.partitionColumns)) throw new ConcurrentAppendError(w, add.path);
    }
  }
}

function checkDeletedFilesWeRead(ours: TxnFootprint, removes: RemoveFile[], w: { version: number; operation?: string }) {
  for (const r of removes) {
    if (r.dataChange && ours.readFiles.has(r.path)) throw new ConcurrentDeleteReadError(w, r.path);
  }
}

function checkDeletedFilesWeDelete(ours: TxnFootprint, removes: RemoveFile[], w: { version: number; operation?: string }) {
  for (const r of removes) {
    if (ours.removedPaths.has(r.path)) throw new ConcurrentDeleteDeleteError(w, r.path);
  }
}

function checkAppIds(ours: TxnFootprint, winnerAppIds: string[], w: { version: number; operation?: string }) {
  for (const id of winnerAppIds) if (ours.appIds.has(id)) throw new ConcurrentTransactionError(w, id);
}
