/**
 * Exercises of notebook 02 (Auto Loader): ingest the transactions CSV files, re-run the stream
 * on new files, and read `_rescued_data`. Graders count rows in the landed files themselves.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SparkSession } from "../../lakehouse/sql/session.js";
import { sandboxPath } from "../sandbox.js";
import { answerRows, norm, tableColumns, type Exercise, type Verdict } from "./types.js";

const NOTEBOOK = "02-auto-loader";
const TX_TABLE = "c360.bronze.transactions";

function landed(kind: "transactions" | "crm"): string[] {
  const dir = sandboxPath(NOTEBOOK, "landing", kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => !f.startsWith(".") && !f.startsWith("_")).sort().map((f) => join(dir, f));
}

/** Data rows (lines after the header) of the landed CSV files. */
function csvRows(files: string[]): number {
  return files.reduce((n, f) => n + readFileSync(f, "utf8").split("\n").filter((l) => l.trim() !== "").length - 1, 0);
}

async function checkTransactions(spark: SparkSession, files: string[]): Promise<Verdict | undefined> {
  const cols = await tableColumns(spark, TX_TABLE);
  if (!cols) return { ok: false, message: `${TX_TABLE} does not exist: start your stream with .toTable("${TX_TABLE}") and wait for it (awaitTermination).`, hints: [0, 1] };
  const want: Record<string, string> = { transaction_id: "bigint", customer_id: "bigint", order_ts: "timestamp", quantity: "int", amount: "string" };
  const wrong = Object.entries(want).filter(([c, t]) => cols.get(c) !== t).map(([c, t]) => `${c} is ${cols.get(c) ?? "missing"} (expected ${t})`);
  if (wrong.length) return { ok: false, message: `Column types: ${wrong.join("; ")}.`, hints: [1, 2] };
  if (!cols.has("_rescued_data")) return { ok: false, message: "There is no _rescued_data column: let Auto Loader infer the schema (with hints) instead of giving a full .schema(…), so it keeps what does not fit.", hints: [1] };
  const n = Number((await (await spark.sql(`SELECT count(*) AS n FROM ${TX_TABLE}`)).collect())[0]!["n"]);
  const expected = csvRows(files);
  if (n !== expected) {
    return { ok: false, message: `${TX_TABLE} has ${n} rows; the ${files.length} landed file(s) hold ${expected} data rows.${n > expected ? " Some files were ingested twice (a new checkpoint, or appends outside the stream)." : " Is the header option set, and did the stream finish?"}`, hints: [0, 3] };
  }
  return undefined;
}

export const EXERCISES_02: Exercise[] = [
  {
    id: "02.1-transactions-stream",
    title: "Exercise 1 — ingest the transactions CSV with Auto Loader",
    hints: [
      "spark.readStream.format(\"cloudFiles\").option(\"cloudFiles.format\", \"csv\").option(\"header\", \"true\") …load(landing of transactions), then .writeStream.option(\"checkpointLocation\", …).trigger({ availableNow: true }).toTable(\"c360.bronze.transactions\").",
      "Pin the types with cloudFiles.schemaHints: \"transaction_id BIGINT, customer_id BIGINT, order_ts TIMESTAMP, quantity INT\" (and a cloudFiles.schemaLocation). Leave amount alone: CSV columns are strings unless typed.",
      "amount holds values such as N/A: keep it a string in bronze and clean it in silver.",
      "Each stream needs its own checkpoint (and schema location): do not reuse the CRM stream's.",
    ],
    async grade(spark) {
      const files = landed("transactions");
      if (!files.length) return { ok: false, message: "No transactions file has landed yet: run the cell that lands them first.", hints: [] };
      const bad = await checkTransactions(spark, files);
      if (bad) return bad;
      return { ok: true, message: `Right: ${TX_TABLE} holds every row of the ${files.length} landed file(s), typed by your hints, with _rescued_data ready for anything that does not parse.` };
    },
  },
  {
    id: "02.2-incremental-rerun",
    title: "Exercise 2 — new files, same stream, exactly once",
    hints: [
      "Run exactly the same stream again (same checkpointLocation): Auto Loader lists the folder, skips the files recorded in the checkpoint and ingests only the new ones.",
      "Pass the checkpoint folder as the answer: check(\"02.2-incremental-rerun\", spark, txCheckpoint).",
      "A new checkpoint means a new stream: it would ingest every file again (duplicates).",
    ],
    async grade(spark, answer) {
      const files = landed("transactions");
      if (files.length < 4) return { ok: false, message: `Only ${files.length} transactions file(s) have landed: land batches 3 and 4 first.`, hints: [] };
      if (typeof answer !== "string" || !existsSync(join(answer, "sources", "0"))) {
        return { ok: false, message: "Pass the checkpoint folder of your transactions stream (a path whose sources/0 holds Auto Loader's file log).", hints: [1] };
      }
      const bad = await checkTransactions(spark, files);
      if (bad) return { ...bad, hints: [0, 2] };
      const logDir = join(answer, "sources", "0");
      const logged: string[] = [];
      for (const f of readdirSync(logDir).filter((x) => /^\d+$/.test(x))) {
        for (const line of readFileSync(join(logDir, f), "utf8").split("\n").slice(1)) {
          if (line.trim()) logged.push((JSON.parse(line) as { path: string }).path);
        }
      }
      const twice = logged.filter((p, i) => logged.indexOf(p) !== i);
      if (twice.length) return { ok: false, message: `The file log lists ${twice.length} file(s) more than once.`, hints: [0, 2] };
      const missing = files.filter((f) => !logged.includes(f));
      if (missing.length) return { ok: false, message: `The checkpoint's file log does not list ${missing.length} landed file(s) (e.g. ${missing[0]}).`, hints: [0, 1] };
      return { ok: true, message: `Right: the file log lists each of the ${files.length} files once, and the table holds each row once. The checkpoint, not the table, is what remembers which files were ingested.` };
    },
  },
  {
    id: "02.3-rescued-opt-in",
    title: "Exercise 3 — find the opt-in values that did not parse",
    hints: [
      "The rescued value is a field of the JSON in _rescued_data: get_json_object(_rescued_data, '$.marketing_opt_in').",
      "Return two columns: customer_id and the raw value, for the rows where that field is present.",
      "Query c360.bronze.customers (the CRM stream's table), not the raw files.",
    ],
    async grade(spark, answer) {
      const rows = await answerRows(answer);
      if (!rows) return { ok: false, message: "Pass your query as the answer: check(\"02.3-rescued-opt-in\", spark, spark.sql(\"SELECT …\")).", hints: [0, 1] };
      const files = landed("crm");
      if (!files.length) return { ok: false, message: "No CRM file has landed: run the notebook from the top first.", hints: [] };
      const list = files.map((f) => `'${f.replace(/'/g, "''")}'`).join(", ");
      const expected = await (await spark.sql(`
        SELECT TRY_CAST(json_extract_string(line, '$.customer_id') AS BIGINT) AS customer_id, json_extract_string(line, '$.marketing_opt_in') AS raw
        FROM read_csv([${list}], columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', quote = '', escape = '', auto_detect = false)
        WHERE json_valid(line) AND json_type(line, '$.marketing_opt_in') = 'VARCHAR'`)).collect();
      if (!rows.length) return { ok: false, message: `Your query returns no rows; ${expected.length} records have a marketing_opt_in that is not a boolean.`, hints: [0, 2] };
      const cols = Object.keys(rows[0]!);
      const idCol = cols.find((c) => c.toLowerCase() === "customer_id");
      const rawCol = cols.find((c) => c !== idCol);
      if (!idCol || !rawCol) return { ok: false, message: `Your answer has the columns ${cols.join(", ")}; it needs customer_id and the raw value.`, hints: [1] };
      const key = (id: unknown, raw: unknown) => `${norm(id)}=${String(raw)}`;
      const got = new Set(rows.map((r) => key(r[idCol], r[rawCol])));
      const want = new Set(expected.map((r) => key(r["customer_id"], r["raw"])));
      const missing = [...want].filter((k) => !got.has(k));
      const extra = [...got].filter((k) => !want.has(k));
      if (missing.length || extra.length) {
        return { ok: false, message: `Expected ${want.size} (customer_id, value) pairs such as ${[...want].slice(0, 2).join(", ")}; yours has ${missing.length} missing and ${extra.length} unexpected.`, hints: [0, 1, 2] };
      }
      return { ok: true, message: `Right: ${want.size} records carried a marketing_opt_in such as "yes" instead of a boolean. The column itself is NULL for them; the original text survives only in _rescued_data, which is why silver should look at it before dropping anything.` };
    },
  },
];
