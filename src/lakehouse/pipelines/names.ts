/**
 * Dataset and table names inside a pipeline. A name given to a dataset or read by a flow is
 *
 *   name                  → <pipeline catalog>.<pipeline schema>.name
 *   schema.name           → <pipeline catalog>.schema.name
 *   catalog.schema.name   → as written
 *   LIVE.name             → the legacy DLT prefix for "a dataset of this pipeline": dropped
 *   delta.`/path`         → a Delta table by path (never a dataset)
 *
 * Names are case-insensitive (kept lower-case) and may be back-quoted part by part.
 */
import { LakehouseError } from "../errors.js";
import { tokenize } from "../sql/parser/tokenizer.js";

export type NameRef = { kind: "name"; parts: string[] } | { kind: "path"; path: string };

function invalid(name: string): LakehouseError {
  return new LakehouseError("INVALID_IDENTIFIER", `'${name}' is not a valid dataset or table name. Use name, schema.name or catalog.schema.name (back-quote parts with special characters), or delta.\`/path\`.`, { name });
}

/** Splits a name into its parts (unquoted, lower-case), or recognises delta.`path`. */
export function parseName(name: string): NameRef {
  if (typeof name !== "string" || name.trim() === "") throw invalid(String(name));
  let toks;
  try {
    toks = tokenize(name.trim());
  } catch {
    throw invalid(name);
  }
  if (toks.length === 3 && toks[0]!.kind === "ident" && toks[0]!.upper === "DELTA" && toks[1]!.text === "." && toks[2]!.kind === "backtick") {
    return { kind: "path", path: toks[2]!.value };
  }
  const parts: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (i % 2 === 1) {
      if (t.kind !== "punct" || t.text !== ".") throw invalid(name);
      continue;
    }
    if (t.kind !== "ident" && t.kind !== "backtick" && t.kind !== "quotedIdent") throw invalid(name);
    parts.push(t.value.toLowerCase());
  }
  if (toks.length % 2 === 0 || parts.length === 0 || parts.length > 4) throw invalid(name);
  if (parts.length > 1 && parts[0] === "live") parts.shift();
  if (parts.length > 3) throw invalid(name);
  return { kind: "name", parts };
}

/** Fully qualified parts, with the pipeline's catalog and schema as defaults. */
export function qualifyParts(parts: string[], catalog: string, schema: string): [string, string, string] {
  if (parts.length === 3) return [parts[0]!, parts[1]!, parts[2]!];
  if (parts.length === 2) return [catalog, parts[0]!, parts[1]!];
  return [catalog, schema, parts[0]!];
}

/** SQL text of a qualified name (back-quoting parts that need it). */
export function nameSql(parts: readonly string[]): string {
  return parts.map((p) => (/^[a-z_][a-z0-9_]*$/.test(p) ? p : `\`${p.replace(/`/g, "``")}\``)).join(".");
}

/** SQL text of a path table. */
export function pathSql(path: string): string {
  return `delta.\`${path.replace(/`/g, "``")}\``;
}
