/**
 * Protocol checks. A reader must refuse a table whose protocol asks for something it does not
 * implement (PROTOCOL.md "Table Features"); reading it anyway could return wrong rows silently.
 */
import { LakehouseError } from "../errors.js";
import type { Protocol } from "./actions.js";

/** Reader features this kernel implements. */
export const SUPPORTED_READER_FEATURES = new Set(["columnMapping", "deletionVectors", "timestampNtz", "vacuumProtocolCheck"]);

/** Writer features our writer honours (it keeps their invariants on every commit). */
export const SUPPORTED_WRITER_FEATURES = new Set([
  "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "timestampNtz", "deletionVectors",
  "vacuumProtocolCheck", "domainMetadata",
]);

export class UnsupportedReaderFeatureError extends LakehouseError {
  constructor(table: string, features: string[]) {
    super("DELTA_UNSUPPORTED_FEATURES_FOR_READ", `Unable to read table ${table}: it requires reader table feature(s) [${features.join(", ")}] that this lab does not implement. Supported: [${[...SUPPORTED_READER_FEATURES].join(", ")}]. Read it on Databricks Runtime, or copy its data into a new table there.`, { table, features }, "56038");
  }
}

export class UnsupportedWriterFeatureError extends LakehouseError {
  constructor(table: string, features: string[]) {
    super("DELTA_UNSUPPORTED_FEATURES_FOR_WRITE", `Unable to write table ${table}: it requires writer table feature(s) [${features.join(", ")}] that this lab does not implement, and writing without honouring them could corrupt it. Read it here; write it on Databricks Runtime, or CREATE TABLE … AS SELECT a copy here.`, { table, features }, "56038");
  }
}

export function checkReadable(protocol: Protocol, table: string): void {
  const v = protocol.minReaderVersion;
  if (v > 3) throw new UnsupportedReaderFeatureError(table, [`readerVersion ${v}`]);
  if (v === 3) {
    const unknown = (protocol.readerFeatures ?? []).filter((f) => !SUPPORTED_READER_FEATURES.has(f));
    if (unknown.length) throw new UnsupportedReaderFeatureError(table, unknown);
  }
}

export function checkWritable(protocol: Protocol, configuration: Record<string, string>, table: string): void {
  checkReadable(protocol, table);
  const v = protocol.minWriterVersion;
  if (v > 7) throw new UnsupportedWriterFeatureError(table, [`writerVersion ${v}`]);
  if (v === 7) {
    const unknown = (protocol.writerFeatures ?? []).filter((f) => !SUPPORTED_WRITER_FEATURES.has(f));
    if (unknown.length) throw new UnsupportedWriterFeatureError(table, unknown);
  } else {
    // Legacy versions imply feature sets: 5 = column mapping, 6 = identity columns.
    const implied: string[] = [];
    if (v >= 4 && (configuration["delta.generationExpression"] !== undefined)) implied.push("generatedColumns");
    if (v >= 5 && (configuration["delta.columnMapping.mode"] ?? "none") !== "none") implied.push("columnMapping");
    if (v >= 6) implied.push("identityColumns");
    if (implied.length) throw new UnsupportedWriterFeatureError(table, implied);
  }
  if ((configuration["delta.columnMapping.mode"] ?? "none") !== "none") throw new UnsupportedWriterFeatureError(table, ["columnMapping"]);
}

/** True when the table's protocol enables a feature, by feature list (v7) or legacy version. */
export function hasWriterFeature(protocol: Protocol, feature: string): boolean {
  if (protocol.minWriterVersion >= 7) return (protocol.writerFeatures ?? []).includes(feature);
  const legacy: Record<string, number> = { appendOnly: 2, invariants: 2, checkConstraints: 3, changeDataFeed: 4, generatedColumns: 4, columnMapping: 5, identityColumns: 6 };
  return legacy[feature] !== undefined && protocol.minWriterVersion >= legacy[feature]!;
}

/**
 * The smallest protocol that supports what a table's configuration asks for, never lower than
 * `current`. We stay on legacy versions (1/2, 1/3, 1/4) where possible because every Delta
 * reader understands them.
 */
export function requiredProtocol(current: Protocol | undefined, configuration: Record<string, string>, hasConstraints: boolean, schemaHasNtz: boolean): Protocol {
  let writer = 2;
  if (hasConstraints) writer = 3;
  if (configuration["delta.enableChangeDataFeed"] === "true") writer = 4;
  let proto: Protocol = { minReaderVersion: 1, minWriterVersion: writer };
  if (schemaHasNtz) {
    const writerFeatures = ["timestampNtz", "appendOnly", "invariants"];
    if (writer >= 3) writerFeatures.push("checkConstraints");
    if (writer >= 4) writerFeatures.push("changeDataFeed");
    proto = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures };
  }
  if (!current) return proto;
  if (current.minWriterVersion === 7 || proto.minWriterVersion === 7) {
    const cur = current.minWriterVersion === 7 ? current : legacyToFeatures(current);
    const want = proto.minWriterVersion === 7 ? proto : legacyToFeatures(proto);
    const readerFeatures = union(cur.readerFeatures, want.readerFeatures);
    return {
      minReaderVersion: Math.max(cur.minReaderVersion, want.minReaderVersion, readerFeatures.length ? 3 : 1),
      minWriterVersion: 7,
      ...(readerFeatures.length || cur.minReaderVersion === 3 ? { readerFeatures } : {}),
      writerFeatures: union(cur.writerFeatures, want.writerFeatures),
    };
  }
  return { minReaderVersion: Math.max(current.minReaderVersion, proto.minReaderVersion), minWriterVersion: Math.max(current.minWriterVersion, proto.minWriterVersion) };
}

function legacyToFeatures(p: Protocol): Protocol {
  const wf = ["appendOnly", "invariants"];
  if (p.minWriterVersion >= 3) wf.push("checkConstraints");
  if (p.minWriterVersion >= 4) wf.push("changeDataFeed", "generatedColumns");
  return { minReaderVersion: p.minReaderVersion, minWriterVersion: 7, writerFeatures: wf };
}

function union(a: string[] | undefined, b: string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
