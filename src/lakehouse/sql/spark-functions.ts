/**
 * Spark SQL functions that DuckDB names differently, registered as DuckDB macros in every
 * session, so `spark.sql` accepts what a learner types on Databricks (`nvl`, `collect_list`,
 * `explode`, …). Where DuckDB already has a function of the same name with other semantics
 * (e.g. `datediff(part, start, end)`), DuckDB's wins and the lesson says so. `date_format` cannot
 * be a macro (DuckDB's strftime needs a constant pattern); use strftime with a %-pattern in SQL,
 * or F.date_format in the DataFrame API, which converts Spark patterns.
 */
import type { DuckDb } from "../engine/duckdb.js";

const MACROS: string[] = [
  "nvl(a, b) AS coalesce(a, b)",
  "nvl2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END",
  "collect_list(x) AS list(x) FILTER (WHERE x IS NOT NULL)",
  "collect_set(x) AS list(DISTINCT x) FILTER (WHERE x IS NOT NULL)",
  "size(x) AS coalesce(len(x), -1)",
  "to_date(s) AS CAST(s AS DATE)",
  "sha2(x, bits) AS CASE WHEN bits IN (0, 256) THEN sha256(CAST(x AS VARCHAR)) ELSE error('sha2: only 256-bit SHA-2 is available locally') END",
  "explode(x) AS unnest(x)",
  "unix_timestamp() AS CAST(epoch(now()) AS BIGINT)",
  "from_unixtime(x) AS strftime(to_timestamp(x), '%Y-%m-%d %H:%M:%S')",
  "percentile_approx(x, p) AS approx_quantile(x, p)",
  "get_json_object(j, p) AS json_extract_string(j, p)",
  "rand() AS random()",
  "date_add(d, n) AS CAST(d AS DATE) + CAST(n AS INTEGER)",
  "date_sub(d, n) AS CAST(d AS DATE) - CAST(n AS INTEGER)",
  "months_between(a, b) AS date_diff('month', CAST(b AS DATE), CAST(a AS DATE))",
];

export async function registerSparkFunctions(db: DuckDb): Promise<void> {
  for (const m of MACROS) {
    try {
      await db.run(`CREATE OR REPLACE TEMP MACRO ${m}`);
    } catch {
      // A name DuckDB reserves for a built-in stays DuckDB's; see the module note.
    }
  }
}
