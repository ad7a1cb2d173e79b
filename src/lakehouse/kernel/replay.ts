/**
 * Log replay: folds the actions of a checkpoint and the commits after it into the state of one
 * table version (PROTOCOL.md "Action Reconciliation"). Pure: it is given parsed actions.
 */
import type { Action, AddFile, CommitInfo, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from "./actions.js";
import { fileKey } from "./actions.js";
import { dvUniqueId } from "./deletion-vector.js";

export interface TableState {
  protocol?: Protocol;
  metadata?: Metadata;
  files: Map<string, AddFile>;
  tombstones: Map<string, RemoveFile>;
  txns: Map<string, Txn>;
  domains: Map<string, DomainMetadata>;
}

export function emptyState(): TableState {
  return { files: new Map(), tombstones: new Map(), txns: new Map(), domains: new Map() };
}

function keyOf(f: { path: string; deletionVector?: AddFile["deletionVector"] }): string {
  return fileKey(f.path, f.deletionVector ? dvUniqueId(f.deletionVector) : undefined);
}

/** Applies one commit's (or a checkpoint's) actions in order. Returns the commitInfo seen, if any. */
export function applyActions(state: TableState, actions: Action[]): CommitInfo | undefined {
  let info: CommitInfo | undefined;
  for (const a of actions) {
    if (a.add) {
      const k = keyOf(a.add);
      state.files.set(k, a.add);
      state.tombstones.delete(k);
    } else if (a.remove) {
      const k = keyOf(a.remove);
      state.files.delete(k);
      state.tombstones.set(k, a.remove);
    } else if (a.metaData) {
      state.metadata = a.metaData;
    } else if (a.protocol) {
      state.protocol = a.protocol;
    } else if (a.txn) {
      state.txns.set(a.txn.appId, a.txn);
    } else if (a.domainMetadata) {
      if (a.domainMetadata.removed) state.domains.delete(a.domainMetadata.domain);
      else state.domains.set(a.domainMetadata.domain, a.domainMetadata);
    } else if (a.commitInfo) {
      info = a.commitInfo;
    }
  }
  return info;
}

/** Parses a commit file's text. A line that is not JSON names the file and line. */
export function parseCommit(text: string, onError: (detail: string) => never): Action[] {
  const out: Action[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as Action);
    } catch {
      onError(`line ${i + 1} is not valid JSON (${line.length > 60 ? line.slice(0, 60) + "…" : line})`);
    }
  }
  if (out.length === 0) onError("it is empty");
  return out;
}

/** The commit's timestamp: in-commit timestamp, else commitInfo.timestamp, else the file time. */
export function commitTimestamp(info: CommitInfo | undefined, fileMtime: number): number {
  if (info?.inCommitTimestamp !== undefined) return Number(info.inCommitTimestamp);
  if (info?.timestamp !== undefined) return Number(info.timestamp);
  return fileMtime;
}
