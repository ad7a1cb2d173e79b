/**
 * spark.read: format("delta") loads tables by path or name, with the time-travel options
 * versionAsOf / timestampAsOf; parquet/json/csv read files directly through DuckDB.
 */
import { LakehouseError } from "../errors.js";
import { quoteString } from "../engine/duckdb.js";
import { DataFrame } from "./dataframe/index.js";
import type { SparkSession } from "./session.js";

export class DataFrameReader {
  private fmt = "delta";
  private opts: Record<string, string> = {};
  constructor(private readonly spark: SparkSession) {}

  format(f: string): DataFrameReader {
    const r = new DataFrameReader(this.spark);
    r.fmt = f.toLowerCase();
    r.opts = { ...this.opts };
    return r;
  }

  option(key: string, value: string | number | boolean): DataFrameReader {
    const r = new DataFrameReader(this.spark);
    r.fmt = this.fmt;
    r.opts = { ...this.opts, [key]: String(value) };
    return r;
  }

  options(o: Record<string, string | number | boolean>): DataFrameReader {
    let r: DataFrameReader = this;
    for (const [k, v] of Object.entries(o)) r = r.option(k, v);
    return r;
  }

  private timeTravel(): string {
    const v = this.opts["versionAsOf"];
    const t = this.opts["timestampAsOf"];
    if (v !== undefined) return ` VERSION AS OF ${Number(v)}`;
    if (t !== undefined) return ` TIMESTAMP AS OF ${quoteString(t)}`;
    return "";
  }

  load(path?: string): DataFrame {
    const p = path ?? this.opts["path"];
    if (!p) throw new LakehouseError("INVALID_ARGUMENT", "load() needs a path: spark.read.format(\"delta\").load(\"/path/to/table\").", {});
    switch (this.fmt) {
      case "delta": return DataFrame.fromSql(this.spark, `SELECT * FROM delta.\`${p.replace(/`/g, "``")}\`${this.timeTravel()}`);
      case "parquet": return DataFrame.fromSql(this.spark, `SELECT * FROM read_parquet(${quoteString(p)})`);
      case "json": return DataFrame.fromSql(this.spark, `SELECT * FROM read_json_auto(${quoteString(p)})`);
      case "csv": return DataFrame.fromSql(this.spark, `SELECT * FROM read_csv_auto(${quoteString(p)}, header = ${this.opts["header"] === "true" ? "true" : "false"})`);
      default: throw new LakehouseError("UNSUPPORTED_DATA_SOURCE", `format("${this.fmt}") is not supported by spark.read here. Use delta, parquet, json or csv.`, {});
    }
  }

  table(name: string): DataFrame {
    const tt = this.timeTravel();
    return tt ? DataFrame.fromSql(this.spark, `SELECT * FROM ${name}${tt}`) : this.spark.table(name);
  }

  parquet(path: string): DataFrame {
    return this.format("parquet").load(path);
  }
  json(path: string): DataFrame {
    return this.format("json").load(path);
  }
  csv(path: string): DataFrame {
    return this.format("csv").load(path);
  }
}
