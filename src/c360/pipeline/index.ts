/**
 * The Customer 360 medallion pipeline: its declaration (definition.ts), the Auto Loader bronze
 * helpers (ingest.ts) and how to run it from code or the command line (run.ts).
 */
export * from "./definition.js";
export * from "./ingest.js";
export * from "./run.js";
