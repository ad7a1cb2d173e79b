/**
 * Views of a Delta table's history and log, for the "under the hood" parts of the notebooks.
 *
 *   showHistory(spark, "c360.silver.customers")   DESCRIBE HISTORY, one row per commit, with the
 *                                                  operation's parameters and metrics readable
 *   showLog(path, 3)                               the actions of `_delta_log/…003.json`: what a
 *                                                  commit really wrote (add/remove/metaData/…)
 *   tablePath(spark, "c360.silver.customers")     where a table's files live
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SparkSession } from "../lakehouse/sql/session.js";
import { escapeHtml, html } from "./display.js";
import { details, FONT, MONO, pre, tag } from "./html.js";
import { renderTable } from "./table.js";
import { plain, toJson } from "./values.js";

/** The directory of a table (a name such as c360.silver.customers, or a path). */
export async function tablePath(spark: SparkSession, table: string): Promise<string> {
  if (table.startsWith("/") || /^[a-z]+:\//i.test(table)) return table;
  const m = /^delta\.`(.+)`$/.exec(table);
  if (m) return m[1]!;
  const r = await spark.resolveTable({ kind: "name", parts: table.split(".") });
  return r.root;
}

/** Name of the commit file of `version`: 20 digits, zero-padded. */
export function commitFileName(version: number): string {
  return `${String(version).padStart(20, "0")}.json`;
}

/** The actions of one commit, parsed (each line of the commit file is one action). */
export async function readCommit(tableDir: string, version: number): Promise<Record<string, unknown>[]> {
  const file = join(tableDir, "_delta_log", commitFileName(version));
  const text = await readFile(file, "utf8");
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Metrics worth a column of their own, in this order; the rest are listed after them. */
const KEY_METRICS = [
  "numOutputRows", "numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted", "numTargetRowsCopied", "numDeletedRows", "numUpdatedRows", "numCopiedRows",
  "numFiles", "numAddedFiles", "numRemovedFiles", "numTargetFilesAdded", "numTargetFilesRemoved", "numRestoredFiles", "numOfFilesAfterRestore", "numSourceRows",
];
const TIMING = /(Time|Duration)Ms$/;

function metricsText(m: Record<string, string> | null | undefined, all: boolean): string {
  if (!m) return "";
  const entries = Object.entries(m).filter(([k, v]) => all || (!TIMING.test(k) && v !== "0"));
  entries.sort(([a], [b]) => {
    const ia = KEY_METRICS.indexOf(a), ib = KEY_METRICS.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return entries.map(([k, v]) => `${k}=${v}`).join(", ");
}

function paramsText(p: Record<string, string> | null | undefined): string {
  if (!p) return "";
  return Object.entries(p).filter(([, v]) => v !== "[]" && v !== "null" && v !== "").map(([k, v]) => `${k}=${v}`).join(", ");
}

export interface HistoryOptions {
  /** Newest commits to show (default: all). */
  limit?: number;
  /** Also list zero-valued and timing metrics (default false). */
  allMetrics?: boolean;
}

/** DESCRIBE HISTORY as a readable table: version, time (UTC), operation, parameters, metrics. */
export async function showHistory(spark: SparkSession, table: string, opts: HistoryOptions = {}): Promise<void> {
  const df = await spark.sql(`DESCRIBE HISTORY ${table}${opts.limit ? ` LIMIT ${Math.trunc(opts.limit)}` : ""}`);
  const rows = await df.collect();
  const out = rows.map((r) => ({
    version: r["version"],
    timestamp: r["timestamp"],
    operation: r["operation"],
    parameters: paramsText(plain(r["operationParameters"]) as Record<string, string>),
    readVersion: r["readVersion"],
    isBlindAppend: r["isBlindAppend"],
    metrics: metricsText(plain(r["operationMetrics"]) as Record<string, string>, opts.allMetrics === true),
  }));
  const columns = [
    { name: "version", type: "bigint", duckType: "BIGINT" },
    { name: "timestamp", type: "timestamp", duckType: "TIMESTAMP WITH TIME ZONE" },
    { name: "operation", type: "string" },
    { name: "parameters", type: "string" },
    { name: "readVersion", type: "bigint", duckType: "BIGINT" },
    { name: "isBlindAppend", type: "boolean" },
    { name: "metrics", type: "string" },
  ];
  const r = renderTable({ columns, rows: out, total: out.length }, { title: `DESCRIBE HISTORY ${table} (timestamps in UTC)`, truncate: false, textTruncate: 60 });
  html(r.html, r.text);
}

const ACTION_COLORS: Record<string, string> = {
  commitInfo: "#6b7280", protocol: "#7c3aed", metaData: "#2563eb", add: "#16a34a", remove: "#dc2626", cdc: "#0891b2", txn: "#d97706", domainMetadata: "#4b5563",
};

/** One line describing an action: what it is about at a glance. */
function actionSummary(kind: string, a: Record<string, unknown>): string {
  switch (kind) {
    case "commitInfo":
      return `${a["operation"]} (readVersion ${a["readVersion"] ?? "none"}, isolation ${a["isolationLevel"] ?? "?"}, blind append ${a["isBlindAppend"]})`;
    case "protocol":
      return `minReaderVersion ${a["minReaderVersion"]}, minWriterVersion ${a["minWriterVersion"]}${Array.isArray(a["writerFeatures"]) ? `, writerFeatures [${(a["writerFeatures"] as string[]).join(", ")}]` : ""}`;
    case "metaData": {
      let cols = "";
      try {
        const schema = JSON.parse(String(a["schemaString"])) as { fields: { name: string; type: unknown }[] };
        cols = schema.fields.map((f) => `${f.name}: ${typeof f.type === "string" ? f.type : (f.type as { type: string }).type}`).join(", ");
      } catch {
        cols = "?";
      }
      const parts = (a["partitionColumns"] as string[] | undefined) ?? [];
      return `schema (${cols})${parts.length ? `, partitioned by ${parts.join(", ")}` : ""}, configuration ${JSON.stringify(a["configuration"] ?? {})}`;
    }
    case "add":
    case "remove": {
      let n = "";
      try {
        const s = typeof a["stats"] === "string" ? (JSON.parse(a["stats"] as string) as { numRecords?: number }) : undefined;
        if (s?.numRecords !== undefined) n = `, ${s.numRecords} records`;
      } catch {
        // no stats
      }
      return `${a["path"]} (${a["size"] ?? "?"} bytes${n}, dataChange ${a["dataChange"]}${a["deletionVector"] ? ", deletion vector" : ""})`;
    }
    case "cdc":
      return `${a["path"]} (${a["size"]} bytes of change data)`;
    case "txn":
      return `appId ${a["appId"]}, version ${a["version"]}`;
    default:
      return JSON.stringify(a).slice(0, 120);
  }
}

/** The action with its `stats` string parsed, so that it pretty-prints readably. */
function readable(a: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    if ((k === "stats" || k === "schemaString") && typeof v === "string") {
      try {
        out[`${k} (a JSON string in the file, parsed here)`] = JSON.parse(v);
        continue;
      } catch {
        // keep as is
      }
    }
    out[k] = v;
  }
  return out;
}

/**
 * Shows the actions of commit `version` (default: the latest) of the table at `tableDir`:
 * a summary line per action, then each action pretty-printed.
 */
export async function showLog(tableDir: string, version?: number): Promise<void> {
  let v = version;
  if (v === undefined) {
    const { readdir } = await import("node:fs/promises");
    const versions = (await readdir(join(tableDir, "_delta_log"))).filter((f) => /^\d{20}\.json$/.test(f)).map((f) => Number(f.slice(0, 20)));
    v = Math.max(...versions);
  }
  const actions = await readCommit(tableDir, v);
  const items = actions.map((line) => {
    const kind = Object.keys(line)[0]!;
    return { kind, body: line[kind] as Record<string, unknown> };
  });
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  const countText = [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
  const file = `_delta_log/${commitFileName(v)}`;
  const rows = items.map((i) => `<tr><td style="padding: 3px 8px; vertical-align: top; text-align: left;">${tag(i.kind, ACTION_COLORS[i.kind] ?? "#4b5563")}</td>`
    + `<td style="padding: 3px 8px; ${MONO} text-align: left; word-break: break-all;">${escapeHtml(actionSummary(i.kind, i.body))}</td></tr>`).join("");
  const jsonBlocks = items.map((i, n) => details(`line ${n + 1}: ${i.kind}`, pre(toJson({ [i.kind]: readable(i.body) }), 420))).join("");
  const markup = `<div style="${FONT} margin: 4px 0;"><div style="font-weight: 600;">${escapeHtml(file)} — version ${v}: ${escapeHtml(countText)}</div>`
    + `<table style="border-collapse: collapse; margin: 4px 0;">${rows}</table>${jsonBlocks}</div>`;
  const text = [`${file} (version ${v}): ${countText}`, ...items.map((i) => `  ${i.kind.padEnd(10)} ${actionSummary(i.kind, i.body)}`)].join("\n");
  html(markup, text);
}
