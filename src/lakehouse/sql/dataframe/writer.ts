/**
 * PySpark's DataFrameWriter: `df.write.format(…).mode(…).option(…).partitionBy(…).saveAsTable(…)`.
 * Immutable like the rest of the API (each call returns a new writer); the terminal calls hand
 * the DataFrame's SQL and a WriteSpec to the session, which does the actual write. Defaults are
 * Spark's: format "delta", mode "errorifexists".
 *
 * @example
 * await df.write.mode("overwrite").partitionBy("country").saveAsTable("c360.gold.customers");
 * // runner.write("SELECT … FROM …", { format: "delta", mode: "overwrite", options: {},
 * //   partitionBy: ["country"], target: { kind: "table", name: "c360.gold.customers" } })
 */
import { LakehouseError } from "../../errors.js";
import type { DataFrame } from "./dataframe.js";
import type { SaveMode, WriteSpec } from "./runner.js";

const MODES: Record<string, SaveMode> = {
  append: "append", overwrite: "overwrite", error: "error", errorifexists: "errorifexists", ignore: "ignore", default: "errorifexists",
};

interface WriterState {
  format: string;
  mode: SaveMode;
  options: Readonly<Record<string, string>>;
  partitionBy: readonly string[];
}

function invalid(message: string, params: Record<string, unknown> = {}): LakehouseError {
  return new LakehouseError("INVALID_ARGUMENT", message, params);
}

export class DataFrameWriter {
  private readonly df: DataFrame;
  private readonly state: WriterState;

  /** @internal Use `df.write`. */
  constructor(df: DataFrame, state: WriterState = { format: "delta", mode: "errorifexists", options: {}, partitionBy: [] }) {
    this.df = df;
    this.state = Object.freeze({ ...state, options: Object.freeze({ ...state.options }), partitionBy: Object.freeze([...state.partitionBy]) });
    Object.freeze(this);
  }

  private with(patch: Partial<WriterState>): DataFrameWriter {
    return new DataFrameWriter(this.df, { ...this.state, ...patch });
  }

  /** Data source format: "delta" (default), "parquet", "csv", "json", … */
  format(source: string): DataFrameWriter {
    if (typeof source !== "string" || source.trim() === "") throw invalid("format() needs a format name such as \"delta\".");
    return this.with({ format: source.trim().toLowerCase() });
  }

  /** "append", "overwrite", "error"/"errorifexists" (default), or "ignore". */
  mode(saveMode: string): DataFrameWriter {
    const m = MODES[String(saveMode).toLowerCase()];
    if (!m) throw invalid(`Unknown save mode '${saveMode}'. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'.`, { mode: saveMode });
    return this.with({ mode: m });
  }

  /** One writer option; the value is stringified (`true` → "true"). */
  option(key: string, value: string | number | boolean | bigint): DataFrameWriter {
    return this.with({ options: { ...this.state.options, [key]: String(value) } });
  }

  options(opts: Readonly<Record<string, string | number | boolean | bigint>>): DataFrameWriter {
    const next: Record<string, string> = { ...this.state.options };
    for (const [k, v] of Object.entries(opts)) next[k] = String(v);
    return this.with({ options: next });
  }

  /** Partition columns of the written table. */
  partitionBy(...cols: (string | readonly string[])[]): DataFrameWriter {
    const list = cols.flatMap((c) => (Array.isArray(c) ? (c as string[]) : [c as string]));
    for (const c of list) if (typeof c !== "string" || c === "") throw invalid("partitionBy() takes column names.");
    return this.with({ partitionBy: list });
  }

  /** Writes into the catalog table `name` (created when missing). */
  async saveAsTable(name: string): Promise<void> {
    if (typeof name !== "string" || name.trim() === "") throw invalid("saveAsTable() needs a table name.");
    await this.run({ kind: "table", name: name.trim() });
  }

  /** Writes to a path (the argument, or the "path" option). */
  async save(path?: string): Promise<void> {
    const p = path ?? this.state.options["path"];
    if (p === undefined || p === "") throw invalid("save() needs a path: pass it, or set option(\"path\", …), or use saveAsTable(name).");
    await this.run({ kind: "path", path: p });
  }

  /**
   * Inserts into an existing table by column position. `overwrite` defaults to mode("overwrite").
   */
  async insertInto(tableName: string, overwrite?: boolean): Promise<void> {
    if (this.state.partitionBy.length) {
      throw invalid("insertInto() can't be used together with partitionBy(): the table's own partition columns are used. Remove partitionBy().");
    }
    await this.run({ kind: "insertInto", name: tableName, overwrite: overwrite ?? this.state.mode === "overwrite" });
  }

  /** `format("parquet").save(path)`. */
  async parquet(path: string): Promise<void> {
    await this.format("parquet").save(path);
  }
  /** `format("csv").save(path)`. */
  async csv(path: string): Promise<void> {
    await this.format("csv").save(path);
  }
  /** `format("json").save(path)`. */
  async json(path: string): Promise<void> {
    await this.format("json").save(path);
  }

  private async run(target: WriteSpec["target"]): Promise<void> {
    await this.df.resolve();
    const spec: WriteSpec = {
      format: this.state.format, mode: this.state.mode, options: { ...this.state.options }, partitionBy: [...this.state.partitionBy], target,
    };
    await this.df._runner.write(this.df.toSQL(), spec);
  }
}
