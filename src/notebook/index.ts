/**
 * Notebook helpers of c360-lab: rich output for the tslab (TypeScript) Jupyter kernel, with a
 * plain-text fallback everywhere else. Notebooks import the compiled module:
 *
 *   import { sandbox, showTable, chart, check } from "../dist/notebook/index.js";
 *
 * See notebooks/README.md for how to run the notebooks.
 */
export { publish, setDisplay, inKernel, escapeHtml, type MimeBundle, type DisplaySink } from "./display.js";
export { showTable, tableData, renderTable, type TableOptions, type TableSource, type TableData } from "./table.js";
export { chart, renderChart, VEGALITE_MIME, type VegaLiteSpec, type ChartOptions } from "./chart.js";
export { explainScan, scanReport, type ScanReport } from "./scan.js";
export { showHistory, showLog, readCommit, tablePath, commitFileName, type HistoryOptions } from "./delta.js";
export { sandbox, sandboxPath, samplePath, projectRoot, landFiles } from "./sandbox.js";
export { expectError, showError, errorInfo, type ErrorInfo } from "./errors.js";
export { showTree, showFile, showJson, note, displayPath, type TreeOptions } from "./files.js";
export { concurrentWrites, raceWrites, type RaceResult } from "./concurrency.js";
export { showCheckpoint, showProgress, checkpointBatches, crashAt, clearCrashes, type CrashPoint, type CheckpointBatch } from "./streaming.js";
export { check, grade, exercises, type CheckResult, type Exercise, type Verdict } from "./checks.js";
export { plain, plainRows, toJson } from "./values.js";
export { showUpdate, updateRows, showGraph, runUpdate, PipelineUpdateError } from "./pipelines.js";
