/**
 * Auto Loader: `spark.readStream.format("cloudFiles")`, Databricks' incremental file ingestion,
 * as a streaming source of the local engine (also used, in a stricter mode, for Spark's plain
 * file sources `format("json" | "csv" | "parquet")`).
 *
 * What Databricks does, and how this source does it:
 *   - File discovery: Databricks lists the input directory (or uses cloud notifications) and
 *     remembers every file it ingested in the checkpoint, so each file is processed exactly once
 *     even across restarts. Here: directory listing (recursive; names starting with `_` or `.`
 *     are skipped like Spark does; an optional glob in the path or `pathGlobFilter`), new files in
 *     (modification time, path) order, admitted up to `cloudFiles.maxFilesPerTrigger` (default
 *     1000) / `cloudFiles.maxBytesPerTrigger` per batch, and recorded in the checkpoint's file log
 *     (file-log.ts) before the batch's offsets are written. `cloudFiles.includeExistingFiles`
 *     and `cloudFiles.allowOverwrites` behave as documented. Notification mode is not available.
 *   - Schema inference (formats.ts, schema.ts): without `.schema(…)`, the schema is inferred from
 *     the files present at the first start (up to 1000) and stored in
 *     `<cloudFiles.schemaLocation>/_schemas/0`. JSON and CSV columns are strings unless
 *     `cloudFiles.inferColumnTypes` is true; Parquet keeps its types; `cloudFiles.schemaHints`
 *     ("col TYPE, …") override or add columns. Restarts read the latest stored version.
 *   - Schema evolution, `cloudFiles.schemaEvolutionMode`:
 *       addNewColumns (default without a schema): a batch with new columns FAILS with
 *         UnknownFieldException after writing the evolved schema as the next `_schemas/<n>`;
 *         the batch was not committed, so a restart re-runs it with the new columns (the Delta
 *         sink then needs option("mergeSchema", "true")), exactly Databricks' stop-and-restart;
 *       rescue: the schema never changes; unknown fields go to the rescued-data column;
 *       failOnNewColumns: fails, and keeps failing, without touching the schema;
 *       none (default with a schema): new columns are ignored (and not rescued unless the
 *         rescuedDataColumn option is set).
 *   - `_rescued_data` (on by default when the schema is inferred; `rescuedDataColumn` renames or
 *     enables it): a JSON object of the fields that were malformed, of the wrong type, or not in
 *     the schema, plus `_file_path`.
 *
 * Files are read with DuckDB (`read_text` for JSON lines, `read_csv`, `read_parquet`); the
 * source's own raw input files are the only thing this module reads outside the session.
 */
import { isAbsolute, resolve } from "node:path";
import { LakehouseError } from "../errors.js";
import { quoteIdent } from "../engine/duckdb.js";
import type { FileInfo } from "../kernel/engine.js";
import { toDuckType, type StructField, type StructType } from "../kernel/schema.js";
import type { Field } from "../sql/dataframe/plan.js";
import type { SparkSession } from "../sql/session.js";
import { InvalidStreamingOptionError, UnknownFieldException, UnsupportedStreamingOperationError } from "../streaming/errors.js";
import type { ReadLimit, SourceContext, SourceFactory, SourceOffset, StreamSource } from "../streaming/source.js";
import { FileLog, type LoggedFile } from "./file-log.js";
import { MalformedRecordError, StagedFiles, type FileFormat, type ParseMode, type ParseOptions } from "./formats.js";
import { applyHints, parseDdlFields, SchemaLog } from "./schema.js";

export type SchemaEvolutionMode = "addNewColumns" | "rescue" | "failOnNewColumns" | "none";

export interface FileSourceConfig {
  /** cloudFiles (Auto Loader) or Spark's plain file source. */
  autoLoader: boolean;
  /** Directory to list. */
  dir: string;
  /** Display path (as given). */
  path: string;
  /** Glob over the path relative to `dir` (from a glob in the load path). */
  pathGlob?: RegExp;
  /** pathGlobFilter: glob over the file name. */
  nameGlob?: RegExp;
  recursive: boolean;
  parse: ParseOptions;
  userSchema?: StructType;
  schemaLocation?: string;
  hints?: StructField[];
  inferTypes: boolean;
  evolution: SchemaEvolutionMode;
  rescueColumn?: string;
  corruptColumn: string;
  maxFiles: number;
  maxBytes?: number;
  includeExisting: boolean;
  allowOverwrites: boolean;
}

const CLOUD_FILES_OPTIONS = new Set([
  "cloudfiles.format", "cloudfiles.schemalocation", "cloudfiles.schemahints", "cloudfiles.infercolumntypes", "cloudfiles.schemaevolutionmode",
  "cloudfiles.maxfilespertrigger", "cloudfiles.maxbytespertrigger", "cloudfiles.includeexistingfiles", "cloudfiles.allowoverwrites",
  "cloudfiles.usenotifications", "cloudfiles.partitioncolumns", "cloudfiles.validateoptions", "cloudfiles.useincrementallisting",
  "cloudfiles.backfillinterval", "cloudfiles.maxfileage",
]);

const MODES: Record<string, SchemaEvolutionMode> = { addnewcolumns: "addNewColumns", rescue: "rescue", failonnewcolumns: "failOnNewColumns", none: "none" };

function globToRegex(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${glob.slice(i + 1, end).split(",").map((x) => x.replace(/[.+^$()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")).join("|")})`;
        i = end;
      }
    } else if (c === "[") {
      const end = glob.indexOf("]", i);
      if (end < 0) re += "\\[";
      else {
        re += `[${glob.slice(i + 1, end).replace(/^\^/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function cleanPath(p: string): string {
  const s = p.replace(/^file:(\/\/)?/, "");
  return isAbsolute(s) ? s : resolve(s);
}

/** Builds the source configuration from readStream's format, options, schema and path. */
export function fileSourceConfig(format: string, options: Record<string, string>, userSchema: StructType | undefined, path: string): FileSourceConfig {
  const lower = new Map(Object.entries(options).map(([k, v]) => [k.toLowerCase(), v]));
  const opt = (k: string) => lower.get(k.toLowerCase());
  const bool = (k: string, dflt: boolean): boolean => {
    const v = opt(k);
    if (v === undefined) return dflt;
    if (!/^(true|false)$/i.test(v)) throw new InvalidStreamingOptionError(`Option ${k} must be "true" or "false", got '${v}'.`, { option: k, value: v });
    return v.toLowerCase() === "true";
  };
  const autoLoader = format === "cloudfiles";
  let fileFormat: string;
  if (autoLoader) {
    if (opt("cloudFiles.validateOptions")?.toLowerCase() !== "false") {
      const unknown = [...lower.keys()].filter((k) => k.startsWith("cloudfiles.") && !CLOUD_FILES_OPTIONS.has(k));
      if (unknown.length) {
        throw new InvalidStreamingOptionError(`Found unknown option keys: ${unknown.join(", ")}. Make sure that all provided option keys are correct. If you want to skip the validation of your options and ignore these unknown options, set .option("cloudFiles.validateOptions", "false").`, { unknown }, "CF_UNKNOWN_OPTION_KEYS_ERROR");
      }
    }
    const f = opt("cloudFiles.format");
    if (!f) throw new InvalidStreamingOptionError(`Auto Loader needs the file format: .option("cloudFiles.format", "json" | "csv" | "parquet").`, {}, "CF_MISSING_FORMAT");
    fileFormat = f.toLowerCase();
    if (bool("cloudFiles.useNotifications", false)) {
      throw new UnsupportedStreamingOperationError("cloudFiles.useNotifications", "File notification mode (cloudFiles.useNotifications = true) needs cloud queues; this local engine only lists directories. Leave the option out (directory listing mode).", {}, "STREAMING_UNSUPPORTED_OPTION");
    }
    if (opt("cloudFiles.partitionColumns") !== undefined) {
      throw new UnsupportedStreamingOperationError("cloudFiles.partitionColumns", "Inferring partition columns from key=value directories (cloudFiles.partitionColumns) is not supported by this local engine. Derive the column from _rescued_data's _file_path or from input_file_name-like logic in the query.", {}, "STREAMING_UNSUPPORTED_OPTION");
    }
  } else fileFormat = format;
  if (!["json", "csv", "parquet"].includes(fileFormat)) {
    throw new UnsupportedStreamingOperationError(`format ${fileFormat}`, `The file format '${fileFormat}' is not supported by this local ${autoLoader ? "Auto Loader" : "file source"}. Use json, csv or parquet.`, { format: fileFormat }, "STREAMING_UNSUPPORTED_FORMAT");
  }
  if (opt("badRecordsPath") !== undefined) {
    throw new UnsupportedStreamingOperationError("badRecordsPath", "badRecordsPath is not supported by this local engine. Malformed records are kept in the rescued-data column (or the corrupt-record column when your schema has one); filter them from there.", {}, "STREAMING_UNSUPPORTED_OPTION");
  }
  const modeText = (opt("mode") ?? "PERMISSIVE").toUpperCase();
  if (!["PERMISSIVE", "DROPMALFORMED", "FAILFAST"].includes(modeText)) throw new InvalidStreamingOptionError(`mode must be PERMISSIVE, DROPMALFORMED or FAILFAST, got '${opt("mode")}'.`, { mode: opt("mode") });
  const parse: ParseOptions = {
    format: fileFormat as FileFormat,
    header: bool("header", false),
    delimiter: opt("sep") ?? opt("delimiter") ?? ",",
    quote: opt("quote") ?? '"',
    escape: opt("escape") ?? opt("quote") ?? '"',
    multiLine: bool("multiLine", false),
    mode: modeText as ParseMode,
  };
  const hintsText = autoLoader ? opt("cloudFiles.schemaHints") : undefined;
  const hints = hintsText ? parseDdlFields(hintsText, "cloudFiles.schemaHints") : undefined;
  const modeOpt = autoLoader ? opt("cloudFiles.schemaEvolutionMode") : undefined;
  let evolution: SchemaEvolutionMode;
  if (modeOpt !== undefined) {
    const m = MODES[modeOpt.toLowerCase()];
    if (!m) throw new InvalidStreamingOptionError(`cloudFiles.schemaEvolutionMode must be one of addNewColumns, rescue, failOnNewColumns, none; got '${modeOpt}'.`, { value: modeOpt });
    evolution = m;
  } else evolution = autoLoader && !userSchema ? "addNewColumns" : "none";
  if (userSchema && evolution === "addNewColumns") {
    throw new InvalidStreamingOptionError("Schema evolution mode addNewColumns is not supported when the schema is specified. To use this mode, you can provide the schema through cloudFiles.schemaHints instead.", {}, "CF_ADD_NEW_NOT_SUPPORTED");
  }
  const schemaLocation = autoLoader ? opt("cloudFiles.schemaLocation") : undefined;
  if (!userSchema) {
    if (!autoLoader) {
      throw new InvalidStreamingOptionError(`Schema must be specified when creating a streaming source DataFrame from ${fileFormat} files: spark.readStream.format("${fileFormat}").schema("id BIGINT, …").load(path). Or use Auto Loader (format("cloudFiles")) to infer it.`, {}, "STREAMING_SCHEMA_REQUIRED");
    }
    if (!schemaLocation) {
      throw new InvalidStreamingOptionError(`Auto Loader infers the schema, so it needs somewhere to keep it: set .option("cloudFiles.schemaLocation", <dir>) (the checkpoint location is a fine choice), or give the schema with .schema("…").`, {}, "CF_SCHEMA_LOCATION_REQUIRED");
    }
  }
  const rescueOpt = opt("rescuedDataColumn");
  const rescueColumn = rescueOpt ?? ((autoLoader && !userSchema && evolution !== "none") || evolution === "rescue" ? "_rescued_data" : undefined);
  const maxText = autoLoader ? opt("cloudFiles.maxFilesPerTrigger") : opt("maxFilesPerTrigger");
  const maxFiles = maxText === undefined ? (autoLoader ? 1000 : Number.MAX_SAFE_INTEGER) : Number(maxText);
  if (!Number.isInteger(maxFiles) || maxFiles <= 0) throw new InvalidStreamingOptionError(`maxFilesPerTrigger must be a positive integer, got '${maxText}'.`, { value: maxText });
  const bytesText = autoLoader ? opt("cloudFiles.maxBytesPerTrigger") : undefined;
  let maxBytes: number | undefined;
  if (bytesText !== undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$/i.exec(bytesText);
    if (!m) throw new InvalidStreamingOptionError(`cloudFiles.maxBytesPerTrigger: cannot parse '${bytesText}'. Use bytes or a size like "10m".`, { value: bytesText });
    maxBytes = Number(m[1]) * ({ "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"]);
  }
  let full = cleanPath(path);
  let pathGlob: RegExp | undefined;
  if (/[*?[{]/.test(full)) {
    const segs = full.split("/");
    const i = segs.findIndex((s) => /[*?[{]/.test(s));
    full = segs.slice(0, i).join("/") || "/";
    pathGlob = globToRegex(segs.slice(i).join("/"));
  }
  const nameFilter = opt("pathGlobFilter");
  return {
    autoLoader, dir: full, path, pathGlob, nameGlob: nameFilter ? globToRegex(nameFilter) : undefined,
    recursive: autoLoader || bool("recursiveFileLookup", false) || !!pathGlob,
    parse, userSchema, schemaLocation: schemaLocation ? cleanPath(schemaLocation) : undefined, hints,
    inferTypes: autoLoader ? bool("cloudFiles.inferColumnTypes", false) : false,
    evolution, rescueColumn, corruptColumn: opt("columnNameOfCorruptRecord") ?? "_corrupt_record",
    maxFiles, maxBytes,
    includeExisting: autoLoader ? bool("cloudFiles.includeExistingFiles", true) : true,
    allowOverwrites: autoLoader ? bool("cloudFiles.allowOverwrites", false) : false,
  };
}

export class FileSourceFactory implements SourceFactory {
  readonly description: string;
  constructor(private readonly spark: SparkSession, private readonly config: FileSourceConfig) {
    this.description = `${config.autoLoader ? "CloudFilesSource" : "FileStreamSource"}[${config.path}]`;
  }
  create(): StreamSource {
    return new FileSource(this.spark, this.config);
  }
}

interface FileOffset extends SourceOffset {
  logOffset: number;
}

export class FileSource implements StreamSource {
  readonly description: string;
  private log!: FileLog;
  private schemaLog: SchemaLog | undefined;
  private schemaVersion: number | undefined;
  /** The data schema (without the rescued-data column). */
  private schema!: StructType;
  private pinned: Set<string> | undefined;
  private outstanding = { files: 0, bytes: 0 };
  private seenCache: { upTo: number | undefined; keys: Set<string> } | undefined;

  constructor(private readonly spark: SparkSession, private readonly config: FileSourceConfig) {
    this.description = `${config.autoLoader ? "CloudFilesSource" : "FileStreamSource"}[${config.path}]`;
  }

  private key(f: { path: string; modificationTime: number }): string {
    return this.config.allowOverwrites ? `${f.path}@${f.modificationTime}` : f.path;
  }

  /** Data files under the input path, oldest first. */
  private async listFiles(): Promise<LoggedFile[]> {
    const c = this.config;
    const storage = this.spark.engine.storage;
    let files: FileInfo[];
    if (c.recursive) files = await storage.listRecursive(c.dir);
    else files = (await storage.list(c.dir)).map((f) => ({ ...f, name: f.name }));
    if (files.length === 0 && !(await storage.exists(c.dir))) {
      throw new LakehouseError("PATH_NOT_FOUND", `The input path ${c.path} does not exist. Create the directory (the stream then picks up files as they land) or check the path.`, { path: c.path }, "42K03");
    }
    return files
      .filter((f) => !f.name.split("/").some((seg) => seg.startsWith("_") || seg.startsWith(".")))
      .filter((f) => !c.pathGlob || c.pathGlob.test(f.name))
      .filter((f) => !c.nameGlob || c.nameGlob.test(f.name.split("/").pop()!))
      .map((f) => ({ path: f.path, size: f.size, modificationTime: Math.floor(f.mtime), batchId: -1 }))
      .sort((a, b) => a.modificationTime - b.modificationTime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private fields(): Field[] {
    const out = this.schema.fields.map((f) => ({ name: f.name, type: toDuckType(f.type) }));
    if (this.config.rescueColumn && !this.schema.fields.some((f) => f.name === this.config.rescueColumn)) out.push({ name: this.config.rescueColumn, type: "VARCHAR" });
    return out;
  }

  async initialize(ctx: SourceContext): Promise<Field[]> {
    const c = this.config;
    this.log = new FileLog(this.spark.engine.storage, ctx.metadataPath);
    if (c.userSchema) {
      this.schema = c.userSchema;
    } else {
      this.schemaLog = new SchemaLog(this.spark.engine.storage, c.schemaLocation!);
      const latest = await this.schemaLog.latest();
      if (latest) {
        this.schema = latest.schema;
        this.schemaVersion = latest.version;
      } else {
        this.schema = await this.inferInitialSchema();
        await this.schemaLog.write(0, this.schema);
        const stored = (await this.schemaLog.latest())!;
        this.schema = stored.schema;
        this.schemaVersion = stored.version;
      }
    }
    if (!c.includeExisting && (await this.log.ids()).length === 0 && !(await this.log.hasExisting())) {
      await this.log.writeExisting(await this.listFiles());
    }
    return this.fields();
  }

  private async inferInitialSchema(): Promise<StructType> {
    const c = this.config;
    const files = (await this.listFiles()).slice(0, 1000);
    if (files.length === 0) {
      throw new LakehouseError("CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE", `Cannot infer schema when the input path ${c.path} is empty. Please try to start the stream when there are files in the input path, or specify the schema (.schema("…") or cloudFiles.schemaHints with every column).`, { path: c.path });
    }
    const staged = await StagedFiles.stage(this.spark.db, files.map((f) => f.path), c.parse);
    try {
      const names = (await staged.columnNames()).filter((n) => n !== c.rescueColumn);
      const fields = await staged.inferFields(names, c.inferTypes);
      // Spark adds the corrupt-record column when inference met malformed records and nothing else keeps them.
      if (!c.rescueColumn && (await staged.firstMalformed()) && !fields.some((f) => f.name === c.corruptColumn)) {
        fields.push({ name: c.corruptColumn, type: "string", nullable: true, metadata: {} });
      }
      return applyHints({ type: "struct", fields }, c.hints);
    } finally {
      await staged.drop();
    }
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.pinned = new Set((await this.listFiles()).map((f) => this.key(f)));
  }

  /** Keys of the files recorded up to log entry `upTo`, kept in memory between triggers. */
  private async seenUpTo(upTo: number | undefined): Promise<Set<string>> {
    const c = this.seenCache;
    if (c && c.upTo === upTo) return c.keys;
    if (c && upTo !== undefined && (c.upTo === undefined || c.upTo < upTo)) {
      for (const f of await this.log.filesBetween(c.upTo, upTo)) c.keys.add(this.key(f));
      c.upTo = upTo;
      return c.keys;
    }
    const keys = new Set((await this.log.seen(upTo)).map((f) => this.key(f)));
    this.seenCache = { upTo, keys };
    return keys;
  }

  async latestOffset(start: SourceOffset | null, limit: ReadLimit): Promise<SourceOffset | null> {
    const after = start ? Number((start as FileOffset).logOffset) : undefined;
    const seen = await this.seenUpTo(after);
    const fresh = (await this.listFiles()).filter((f) => !seen.has(this.key(f)) && (!this.pinned || this.pinned.has(this.key(f))));
    const admitted: LoggedFile[] = [];
    let bytes = 0;
    for (const f of fresh) {
      if (limit === "limited" && admitted.length > 0 && (admitted.length >= this.config.maxFiles || (this.config.maxBytes !== undefined && bytes >= this.config.maxBytes))) break;
      admitted.push(f);
      bytes += f.size;
    }
    this.outstanding = { files: fresh.length - admitted.length, bytes: fresh.slice(admitted.length).reduce((s, f) => s + f.size, 0) };
    if (admitted.length === 0) return null;
    const id = (after ?? -1) + 1;
    await this.log.write(id, admitted.map((f) => ({ ...f, batchId: id })));
    return { logOffset: id } satisfies FileOffset;
  }

  async getBatch(start: SourceOffset | null, end: SourceOffset, relation: string): Promise<number> {
    const c = this.config;
    const after = start ? Number((start as FileOffset).logOffset) : undefined;
    const files = await this.log.filesBetween(after, Number((end as FileOffset).logOffset));
    const staged = await StagedFiles.stage(this.spark.db, files.map((f) => f.path), c.parse);
    try {
      if (c.parse.mode === "FAILFAST") {
        const bad = await staged.firstMalformed();
        if (bad) throw new MalformedRecordError(bad.file, bad.line, bad.text);
      }
      const known = new Set(this.schema.fields.map((f) => f.name.toLowerCase()));
      if (c.rescueColumn) known.add(c.rescueColumn.toLowerCase());
      known.add(c.corruptColumn.toLowerCase());
      const newNames = (await staged.columnNames()).filter((n) => !known.has(n.toLowerCase()));
      if (newNames.length && (c.evolution === "addNewColumns" || c.evolution === "failOnNewColumns")) {
        const file = await staged.fileWith(newNames[0]!);
        if (c.evolution === "failOnNewColumns") {
          throw new UnknownFieldException(newNames, file, false,
            `schemaEvolutionMode is failOnNewColumns, so the schema is not changed and the stream will keep failing until the schema is updated (give it with .schema(…) or cloudFiles.schemaHints) or the file is removed. Or switch to addNewColumns or rescue.`);
        }
        const added = applyHints({ type: "struct", fields: await staged.inferFields(newNames, c.inferTypes) }, c.hints?.filter((h) => newNames.some((n) => n.toLowerCase() === h.name.toLowerCase())));
        const evolved: StructType = { type: "struct", fields: [...this.schema.fields, ...added.fields] };
        const next = (this.schemaVersion ?? 0) + 1;
        await this.schemaLog!.write(next, evolved);
        throw new UnknownFieldException(newNames, file, true,
          `Auto Loader added them to the schema (${this.schemaLog!.path(next)}). Restart the stream to pick them up: the failed batch is re-run with the new columns (the Delta sink needs option("mergeSchema", "true") to add them to the table). On Databricks, run the stream as a job with retries to restart automatically.`);
      }
      const corrupt = this.schema.fields.find((f) => f.name === c.corruptColumn && f.type === "string");
      const data: StructType = { type: "struct", fields: this.schema.fields.filter((f) => f !== corrupt && f.name !== c.rescueColumn) };
      const { sql, mismatchSql } = await staged.selectSql(data, c.rescueColumn, corrupt?.name);
      if (c.parse.mode === "FAILFAST" && !c.rescueColumn) {
        const r = await this.spark.db.query(mismatchSql);
        if (Number(r.rows[0]!["n"]) > 0) {
          throw new MalformedRecordError(files[0]?.path ?? c.path, null, "a value does not match its column's type (set a rescuedDataColumn to keep such values instead of failing)");
        }
      }
      const cols = this.fields().map((f) => `CAST(${quoteIdent(f.name)} AS ${f.type}) AS ${quoteIdent(f.name)}`);
      await this.spark.db.run(`CREATE OR REPLACE TEMP TABLE ${relation} AS SELECT ${cols.join(", ")} FROM (${sql}) AS __batch`);
      const r = await this.spark.db.query(`SELECT count(*) AS n FROM ${relation}`);
      return Number(r.rows[0]!["n"]);
    } finally {
      await staged.drop();
    }
  }

  metrics(): Record<string, string> {
    return { numFilesOutstanding: String(this.outstanding.files), numBytesOutstanding: String(this.outstanding.bytes) };
  }
}
