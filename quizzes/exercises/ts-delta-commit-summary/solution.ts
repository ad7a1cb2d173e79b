export interface CommitSummary {
  operation: string | null;
  filesAdded: number;
  filesRemoved: number;
  bytesAdded: number;
  bytesRemoved: number;
  rowsAdded: number | null;
  dataChange: boolean;
  metadataChanged: boolean;
  txn: { appId: string; version: number } | null;
}

export function summarizeCommit(text: string): CommitSummary {
  const s: CommitSummary = { operation: null, filesAdded: 0, filesRemoved: 0, bytesAdded: 0, bytesRemoved: 0, rowsAdded: 0, dataChange: false, metadataChanged: false, txn: null };
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let action: Record<string, any>;
    try {
      action = JSON.parse(line);
    } catch (e) {
      throw new Error(`line ${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    if (action["commitInfo"]) s.operation = action["commitInfo"].operation ?? null;
    if (action["metaData"]) s.metadataChanged = true;
    if (action["txn"]) s.txn = { appId: action["txn"].appId, version: action["txn"].version };
    const add = action["add"];
    if (add) {
      s.filesAdded++;
      s.bytesAdded += add.size ?? 0;
      if (add.dataChange) s.dataChange = true;
      if (s.rowsAdded !== null) {
        const n = typeof add.stats === "string" ? JSON.parse(add.stats).numRecords : undefined;
        s.rowsAdded = typeof n === "number" ? s.rowsAdded + n : null;
      }
    }
    const remove = action["remove"];
    if (remove) {
      s.filesRemoved++;
      s.bytesRemoved += remove.size ?? 0;
      if (remove.dataChange) s.dataChange = true;
    }
  });
  return s;
}
