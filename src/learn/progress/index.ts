export * from "./schema.js";
export { resolveDataDir, progressFile, PROGRESS_FILE, type DataDirOptions } from "./paths.js";
export { writeFileAtomic, backupFile, fileStamp, type AtomicWriteHooks } from "./atomic.js";
export { migrate, type MigrationResult } from "./migrate.js";
export { sanitizeV1 } from "./validate.js";
export { ProgressStore, ProgressError, loadProgressFile, type OpenOptions } from "./store.js";
