/**
 * DESCRIBE DETAIL t, and the table summary the lab prints after each step.
 *
 * Everything here comes from the log, not from the data files: the snapshot's live `add`
 * actions give the file count and size, `metaData` the id, partitioning and properties,
 * `protocol` the reader/writer versions and features. Only the row count may need data: `add`
 * stats carry `numRecords` (physical rows), from which rows hidden by a deletion vector
 * (`deletionVector.cardinality`) are subtracted; files written without stats (old writers,
 * `delta.dataSkippingNumIndexedCols = 0`) are counted by reading them.
 *
 * Table features: a table on writer version 7 lists them explicitly; an older (legacy) protocol
 * implies a fixed set (writer 2: appendOnly and invariants; 3: + checkConstraints;
 * 4: + changeDataFeed and generatedColumns; 5: + columnMapping; 6: + identityColumns), which is
 * what Databricks shows in `tableFeatures` for such tables.
 */
import type { AddFile, Protocol } from "../kernel/actions.js";
import { parseStats } from "../kernel/data-skipping.js";
import type { DataType } from "../kernel/schema.js";
import { loadSnapshot, type Snapshot } from "../kernel/snapshot.js";
import { buildScanSql } from "../engine/scan.js";
import { countRows, type OpContext, type TableTarget } from "./context.js";

/** One row of DESCRIBE DETAIL, with the columns and names Databricks shows. */
export interface DetailRow {
  format: "delta";
  id: string;
  name: string;
  description: string | null;
  location: string;
  createdAt: Date | null;
  lastModified: Date;
  partitionColumns: string[];
  clusteringColumns: string[];
  numFiles: number;
  sizeInBytes: number;
  properties: Record<string, string>;
  minReaderVersion: number;
  minWriterVersion: number;
  tableFeatures: string[];
  statistics: Record<string, unknown>;
}

export interface SummaryColumn {
  name: string;
  /**
   * The Delta type as in `metaData.schemaString`: a primitive name ("long", "integer",
   * "string", "decimal(10,2)", "timestamp_ntz", …) or, for struct/array/map, the JSON type
   * object itself.
   */
  type: DataType;
  nullable: boolean;
}

export interface TableSummary {
  version: number;
  numFiles: number;
  /** Live rows: rows of every live file minus the rows its deletion vector removes. */
  numRecords: number;
  partitionColumns: string[];
  schema: SummaryColumn[];
  minReaderVersion: number;
  minWriterVersion: number;
}

const LEGACY_WRITER_FEATURES: [number, string[]][] = [
  [2, ["appendOnly", "invariants"]],
  [3, ["checkConstraints"]],
  [4, ["changeDataFeed", "generatedColumns"]],
  [5, ["columnMapping"]],
  [6, ["identityColumns"]],
];

/** Every table feature the protocol enables, explicit (version 7) or implied (legacy), sorted. */
export function protocolFeatures(p: Protocol): string[] {
  const out = new Set<string>([...(p.readerFeatures ?? []), ...(p.writerFeatures ?? [])]);
  if (p.minWriterVersion < 7) {
    for (const [v, fs] of LEGACY_WRITER_FEATURES) if (p.minWriterVersion >= v) fs.forEach((f) => out.add(f));
  }
  if (p.minReaderVersion === 2) out.add("columnMapping");
  return [...out].sort((a, b) => a.localeCompare(b));
}

/** Liquid clustering columns, recorded in the `delta.clustering` domain (none when unclustered). */
function clusteringColumns(snap: Snapshot): string[] {
  const d = snap.domains.find((x) => x.domain === "delta.clustering");
  if (!d) return [];
  try {
    const cols = (JSON.parse(d.configuration) as { clusteringColumns?: string[][] }).clusteringColumns ?? [];
    return cols.map((path) => path.join("."));
  } catch {
    return [];
  }
}

export async function describeDetail(ctx: OpContext, target: TableTarget, tableName: string): Promise<DetailRow> {
  const snap = target.snapshot ?? (await loadSnapshot(ctx.engine, target.root));
  const md = snap.metadata;
  return {
    format: "delta",
    id: md.id,
    name: tableName,
    description: md.description ?? null,
    location: target.root,
    createdAt: md.createdTime === undefined || md.createdTime === null ? null : new Date(Number(md.createdTime)),
    lastModified: new Date(snap.timestamp),
    partitionColumns: [...md.partitionColumns],
    clusteringColumns: clusteringColumns(snap),
    numFiles: snap.numFiles,
    sizeInBytes: snap.files.reduce((s, f) => s + Number(f.size), 0),
    properties: { ...snap.configuration },
    minReaderVersion: snap.protocol.minReaderVersion,
    minWriterVersion: snap.protocol.minWriterVersion,
    tableFeatures: protocolFeatures(snap.protocol),
    statistics: {},
  };
}

/** Physical rows of a file from its stats, or undefined when it has none. */
function statsRows(f: AddFile): number | undefined {
  const n = parseStats(f)?.numRecords;
  if (n === undefined || n === null) return undefined;
  const v = Number(n);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Live rows of `snap`: from stats where every file has them, otherwise the files without stats
 * are read (only those; with their deletion vectors applied by the scan).
 */
export async function countLiveRows(ctx: OpContext, snap: Snapshot): Promise<number> {
  let total = 0;
  const unknown: AddFile[] = [];
  for (const f of snap.files) {
    const n = statsRows(f);
    if (n === undefined) unknown.push(f);
    else total += n - Number(f.deletionVector?.cardinality ?? 0);
  }
  if (unknown.length) total += await countRows(ctx, `(${await buildScanSql(ctx.scan, snap, { files: unknown })}) AS __unknown`);
  return total;
}

export async function tableSummary(ctx: OpContext, snapshot: Snapshot): Promise<TableSummary> {
  return {
    version: snapshot.version,
    numFiles: snapshot.numFiles,
    numRecords: await countLiveRows(ctx, snapshot),
    partitionColumns: [...snapshot.partitionColumns],
    schema: snapshot.schema.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })),
    minReaderVersion: snapshot.protocol.minReaderVersion,
    minWriterVersion: snapshot.protocol.minWriterVersion,
  };
}
