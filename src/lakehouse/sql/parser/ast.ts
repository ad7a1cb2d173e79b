/**
 * AST of the Databricks-only statements the lakehouse handles itself. Expressions and queries
 * inside these statements are kept as raw SQL text (exact source spans, trimmed) because DuckDB
 * evaluates them later; only the Databricks-specific structure around them is modelled here.
 */

export type TableRef =
  | { kind: "name"; parts: string[] } // 1..3 parts, unquoted, as written (case kept)
  | { kind: "path"; format: string; path: string }; // delta.`/x/y` → format "delta" (lower-cased)

export interface TimeTravel {
  version?: number;
  /** Raw SQL text of the expression, e.g. "'2024-01-01'". */
  timestamp?: string;
}

export interface ColumnDef {
  name: string;
  /** Raw type text, e.g. "DECIMAL(10,2)", "STRUCT<a: INT>". */
  type: string;
  nullable: boolean;
  comment?: string;
  default?: string;
  generatedAs?: string;
  /** GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [ ( options ) ]. */
  identity?: { always: boolean; options?: string };
  /** ALTER TABLE … ADD COLUMN placement, raw: "FIRST" or "AFTER col". */
  position?: string;
}

export interface Assignment {
  /** May be dotted, e.g. t.x: kept as written. */
  column: string;
  value: string;
}

/** Column names in MERGE actions (INSERT lists, EXCEPT lists) are kept as written, like Assignment.column. */
export type MergeAction =
  | { type: "update"; assignments: Assignment[] }
  | { type: "updateAll"; except?: string[] }
  | { type: "delete" }
  | { type: "insert"; columns: string[]; values: string[] }
  | { type: "insertAll"; except?: string[] };

export interface MergeClause {
  kind: "matched" | "notMatched" | "notMatchedBySource";
  condition?: string;
  action: MergeAction;
}

export type AlterAction =
  | { kind: "addColumns"; columns: ColumnDef[] }
  | { kind: "setTblProperties"; properties: Record<string, string> }
  | { kind: "unsetTblProperties"; keys: string[]; ifExists: boolean }
  | { kind: "addConstraint"; name: string; check: string }
  | { kind: "dropConstraint"; name: string; ifExists: boolean }
  | { kind: "alterColumn"; column: string; setNotNull?: boolean; dropNotNull?: boolean; comment?: string }
  | { kind: "renameTo"; newName: TableRef };

export type Statement =
  | {
      type: "createTable";
      orReplace: boolean;
      ifNotExists: boolean;
      table: TableRef;
      columns?: ColumnDef[];
      using?: string;
      partitionedBy: string[];
      clusterBy?: string[];
      /** CLUSTER BY AUTO (clusterBy is then empty). */
      clusterByAuto?: boolean;
      location?: string;
      comment?: string;
      tblProperties: Record<string, string>;
      /** OPTIONS ( k = v, … ) of a data source table. */
      options?: Record<string, string>;
      asSelect?: string;
      constraints?: { name: string; check: string }[];
    }
  | {
      type: "insert";
      table: TableRef;
      withSchemaEvolution?: boolean;
      overwrite: boolean;
      columns?: string[];
      byName?: boolean;
      replaceWhere?: string;
      partitionSpec?: Record<string, string | null>;
      query: string;
    }
  | {
      type: "merge";
      target: TableRef;
      targetAlias?: string;
      withSchemaEvolution?: boolean;
      source: { kind: "table"; table: TableRef; timeTravel?: TimeTravel } | { kind: "query"; sql: string };
      sourceAlias?: string;
      on: string;
      clauses: MergeClause[];
    }
  | { type: "update"; table: TableRef; alias?: string; assignments: Assignment[]; where?: string }
  | { type: "delete"; table: TableRef; alias?: string; where?: string }
  | { type: "describeHistory"; table: TableRef; limit?: number }
  | { type: "describeDetail"; table: TableRef }
  | { type: "describeTable"; table: TableRef; extended: boolean; column?: string }
  | { type: "restore"; table: TableRef; version?: number; timestamp?: string }
  | { type: "vacuum"; table: TableRef; retainHours?: number; dryRun: boolean; lite?: boolean; full?: boolean }
  | { type: "optimize"; table: TableRef; where?: string; zorderBy?: string[]; full?: boolean }
  | { type: "alterTable"; table: TableRef; action: AlterAction }
  // USE CATALOG c | USE SCHEMA/DATABASE s | USE a.b (kind default)
  | { type: "use"; kind: "catalog" | "schema" | "default"; name: string[] }
  | {
      type: "show";
      what: "catalogs" | "schemas" | "tables" | "tblproperties" | "columns";
      in?: string[];
      like?: string;
      table?: TableRef;
      /** SHOW TBLPROPERTIES t (key): the one key asked for. */
      key?: string;
    }
  | { type: "createCatalog"; name: string; ifNotExists: boolean; comment?: string; managedLocation?: string }
  | {
      type: "createSchema";
      name: string[];
      ifNotExists: boolean;
      comment?: string;
      managedLocation?: string;
      location?: string;
      properties?: Record<string, string>;
    }
  | { type: "dropTable"; table: TableRef; ifExists: boolean }
  | { type: "dropSchema"; name: string[]; ifExists: boolean; cascade: boolean }
  | { type: "dropCatalog"; name: string; ifExists: boolean; cascade: boolean }
  // SET k = v | SET k (show one) | SET (show all: key "") | RESET [k] (reset: true)
  | { type: "set"; key: string; value?: string; reset?: boolean }
  // anything else (SELECT, WITH, VALUES, EXPLAIN, FROM-first …) passed through verbatim
  | { type: "query"; sql: string };
