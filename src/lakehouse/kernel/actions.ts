/**
 * Delta log actions, as they appear one per line in `_delta_log/NNN.json` and one per row in a
 * checkpoint. Field names follow PROTOCOL.md exactly so that a parsed line can be written back
 * unchanged; optional fields stay optional because other writers (Spark, delta-rs) omit them.
 */
import type { DeletionVectorDescriptor } from "./deletion-vector.js";

export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

export interface Format {
  provider: string;
  options?: Record<string, string>;
}

export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: Format;
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

export interface AddFile {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
  clusteringProvider?: string | null;
}

export interface RemoveFile {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
}

export interface AddCDCFile {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange: boolean;
  tags?: Record<string, string> | null;
}

export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

export interface DomainMetadata {
  domain: string;
  configuration: string;
  removed: boolean;
}

/** Free-form provenance; Delta's DESCRIBE HISTORY reads it. Never checkpointed. */
export interface CommitInfo {
  timestamp?: number;
  inCommitTimestamp?: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  readVersion?: number;
  isolationLevel?: string;
  isBlindAppend?: boolean;
  operationMetrics?: Record<string, string>;
  engineInfo?: string;
  txnId?: string;
  userId?: string;
  userName?: string;
  [key: string]: unknown;
}

/** One line of a commit file. Exactly one key is set; unknown actions are kept as `other`. */
export interface Action {
  protocol?: Protocol;
  metaData?: Metadata;
  add?: AddFile;
  remove?: RemoveFile;
  cdc?: AddCDCFile;
  txn?: Txn;
  domainMetadata?: DomainMetadata;
  commitInfo?: CommitInfo;
}

/** The key under which DVs and paths identify one logical file (PROTOCOL.md "Reconciliation"). */
export function fileKey(path: string, dvUniqueId: string | undefined): string {
  return dvUniqueId ? `${path}\u0000${dvUniqueId}` : path;
}
