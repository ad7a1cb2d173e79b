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
  // TODO: parse one JSON action per line.
  return { operation: null, filesAdded: 0, filesRemoved: 0, bytesAdded: 0, bytesRemoved: 0, rowsAdded: 0, dataChange: false, metadataChanged: false, txn: null };
}
