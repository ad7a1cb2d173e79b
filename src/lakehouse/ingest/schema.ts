/**
 * Auto Loader schemas: DDL strings (`.schema("id BIGINT, name STRING")`), schema hints
 * (`cloudFiles.schemaHints`), and the versioned schema log in the schema location.
 *
 * Databricks keeps the schema Auto Loader inferred under `<schemaLocation>/_schemas/` as
 * numbered files 0, 1, 2 …: version 0 is the first inference, every schema evolution
 * (new columns found, stream failed, restart) writes the next version. A restart reads the latest
 * version instead of inferring again, which is what makes the schema stable across restarts.
 * Each file here holds, like Databricks', a version line then one JSON object:
 *
 *   v1
 *   {"dataSchemaJson":"{\"type\":\"struct\",\"fields\":[…]}","partitionSchemaJson":"{\"type\":\"struct\",\"fields\":[]}"}
 *
 * The rescued-data and corrupt-record columns are not part of the stored data schema; they are
 * added when the stream reads.
 */
import { join } from "node:path";
import type { Storage } from "../kernel/engine.js";
import { parseSchemaString, parseSqlType, schemaToString, type StructField, type StructType } from "../kernel/schema.js";
import { InvalidStreamingOptionError } from "../streaming/errors.js";

/** Splits on top-level commas (outside <>, () and backticks). */
function splitDdl(s: string): string[] {
  const out: string[] = [];
  let depth = 0, tick = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "`") tick = !tick;
    else if (!tick && (c === "(" || c === "<")) depth++;
    else if (!tick && (c === ")" || c === ">")) depth--;
    else if (!tick && depth === 0 && c === ",") {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

/** "id BIGINT, `odd name` STRING NOT NULL COMMENT '…'" → fields. Nested names (a.b) are refused. */
export function parseDdlFields(ddl: string, what: string): StructField[] {
  if (typeof ddl !== "string" || ddl.trim() === "") throw new InvalidStreamingOptionError(`${what} needs column definitions such as "id BIGINT, name STRING".`);
  return splitDdl(ddl).map((part) => {
    const m = /^(`(?:[^`]|``)+`|[^\s:]+)\s*:?\s+(.+)$/s.exec(part);
    if (!m) throw new InvalidStreamingOptionError(`${what}: cannot parse '${part}'. Write each column as "name TYPE", separated by commas.`, { part });
    let name = m[1]!;
    if (name.startsWith("`")) name = name.slice(1, -1).replace(/``/g, "`");
    else if (name.includes(".")) {
      throw new InvalidStreamingOptionError(`${what}: '${name}' names a nested field; this local engine only takes top-level columns. Give the whole struct type instead (${name.split(".")[0]} STRUCT<…>).`, { name });
    }
    let rest = m[2]!.replace(/\s+COMMENT\s+'(?:[^']|'')*'\s*$/i, "");
    const notNull = /\s+NOT\s+NULL\s*$/i.test(rest);
    rest = rest.replace(/\s+NOT\s+NULL\s*$/i, "");
    try {
      return { name, type: parseSqlType(rest), nullable: !notNull, metadata: {} };
    } catch {
      throw new InvalidStreamingOptionError(`${what}: unknown type '${rest}' for column ${name}. Use Spark type names: STRING, INT, BIGINT, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE, TIMESTAMP, ARRAY<…>, MAP<…>, STRUCT<…>.`, { name, type: rest });
    }
  });
}

/** A user schema: a DDL string or a StructType. */
export function toStructType(schema: string | StructType, what = "schema()"): StructType {
  if (typeof schema !== "string") {
    if (schema?.type !== "struct" || !Array.isArray(schema.fields)) throw new InvalidStreamingOptionError(`${what} takes a DDL string ("id BIGINT, name STRING") or a StructType.`);
    return schema;
  }
  const t = schema.trim();
  if (t.startsWith("{")) return parseSchemaString(t);
  return { type: "struct", fields: parseDdlFields(t, what) };
}

/** The schema with schema hints applied: hinted columns get the hinted type; unknown ones are added. */
export function applyHints(schema: StructType, hints: StructField[] | undefined): StructType {
  if (!hints?.length) return schema;
  const fields = schema.fields.map((f) => {
    const h = hints.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
    return h ? { ...f, type: h.type } : f;
  });
  for (const h of hints) if (!fields.some((f) => f.name.toLowerCase() === h.name.toLowerCase())) fields.push({ ...h, nullable: true });
  return { type: "struct", fields };
}

/** `<schemaLocation>/_schemas/<n>`: the schema versions Auto Loader inferred and evolved. */
export class SchemaLog {
  readonly dir: string;
  constructor(private readonly storage: Storage, schemaLocation: string) {
    this.dir = join(schemaLocation, "_schemas");
  }

  async latest(): Promise<{ version: number; schema: StructType } | undefined> {
    const files = await this.storage.list(this.dir, { withStats: false });
    const versions = files.filter((f) => /^\d+$/.test(f.name)).map((f) => Number(f.name)).sort((a, b) => a - b);
    const v = versions[versions.length - 1];
    if (v === undefined) return undefined;
    const text = await this.storage.readText(join(this.dir, String(v)));
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const body = JSON.parse(lines[lines.length - 1]!) as { dataSchemaJson: string };
    return { version: v, schema: parseSchemaString(body.dataSchemaJson) };
  }

  /** Writes version `version`; false when another writer created it first. */
  async write(version: number, schema: StructType): Promise<boolean> {
    await this.storage.mkdirs(this.dir);
    const body = { dataSchemaJson: schemaToString(schema), partitionSchemaJson: schemaToString({ type: "struct", fields: [] }) };
    return this.storage.putIfAbsent(join(this.dir, String(version)), `v1\n${JSON.stringify(body)}\n`);
  }

  path(version: number): string {
    return join(this.dir, String(version));
  }
}
