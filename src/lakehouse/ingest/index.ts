/**
 * File ingestion for the lakehouse: Auto Loader (`spark.readStream.format("cloudFiles")`), its
 * schema inference/evolution and rescued-data reading. The streaming engine that runs it lives in
 * ../streaming.
 */
export { FileSource, FileSourceFactory, fileSourceConfig, type FileSourceConfig, type SchemaEvolutionMode } from "./auto-loader.js";
export { FileLog, type LoggedFile } from "./file-log.js";
export { MalformedRecordError, StagedFiles, type FileFormat, type ParseMode, type ParseOptions } from "./formats.js";
export { applyHints, parseDdlFields, SchemaLog, toStructType } from "./schema.js";
