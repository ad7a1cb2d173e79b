/**
 * ALTER TABLE: metadata-only commits (ADD COLUMNS, SET/UNSET TBLPROPERTIES, ADD/DROP
 * CONSTRAINT, SET/DROP NOT NULL). ADD CONSTRAINT first checks every existing row, as Delta
 * does, so a table never holds data that violates its own constraints.
 */
import { LakehouseError } from "../errors.js";
import { buildScanSql } from "../engine/scan.js";
import { commit } from "../kernel/transaction.js";
import { checkWritable, requiredProtocol } from "../kernel/table-features.js";
import { parseSqlType, schemaToString, type StructType } from "../kernel/schema.js";
import type { Action } from "../kernel/actions.js";
import type { AlterAction } from "../sql/parser/ast.js";
import { checkConstraintsOf, enforceConstraints } from "./constraints.js";
import { withTempTable, type OpContext, type TableTarget } from "./context.js";
import { newMetadata } from "./write.js";

export async function executeAlter(ctx: OpContext, target: TableTarget, action: AlterAction): Promise<number> {
  const snap = target.snapshot!;
  checkWritable(snap.protocol, snap.configuration, target.name);
  let schema: StructType = snap.schema;
  const config = { ...snap.configuration };
  let operation: string;
  let params: Record<string, unknown>;
  switch (action.kind) {
    case "addColumns": {
      for (const c of action.columns) {
        if (schema.fields.some((f) => f.name.toLowerCase() === c.name.toLowerCase())) {
          throw new LakehouseError("FIELD_ALREADY_EXISTS", `Cannot add column ${c.name} to ${target.name}: it already exists. Pick another name.`, { column: c.name });
        }
        if (!c.nullable) throw new LakehouseError("DELTA_NOT_NULL_COLUMN_NOT_ALLOWED", `Cannot add NOT NULL column ${c.name}: existing rows would hold NULL. Add it nullable, fill it with UPDATE, then ALTER COLUMN ${c.name} SET NOT NULL.`, {});
      }
      schema = { type: "struct", fields: [...schema.fields, ...action.columns.map((c) => ({ name: c.name, type: parseSqlType(c.type), nullable: true, metadata: c.comment ? { comment: c.comment } : {} }))] };
      operation = "ADD COLUMNS";
      params = { columns: JSON.stringify(action.columns.map((c) => ({ column: { name: c.name, type: c.type, nullable: true } }))) };
      break;
    }
    case "setTblProperties":
      Object.assign(config, action.properties);
      operation = "SET TBLPROPERTIES";
      params = { properties: JSON.stringify(action.properties) };
      break;
    case "unsetTblProperties":
      for (const k of action.keys) {
        if (!(k in config) && !action.ifExists) throw new LakehouseError("UNSET_NONEXISTENT_PROPERTIES", `Property ${k} is not set on ${target.name}. Use UNSET TBLPROPERTIES IF EXISTS.`, {});
        delete config[k];
      }
      operation = "UNSET TBLPROPERTIES";
      params = { properties: JSON.stringify(action.keys), ifExists: action.ifExists };
      break;
    case "addConstraint": {
      const key = `delta.constraints.${action.name.toLowerCase()}`;
      if (key in config) throw new LakehouseError("DELTA_CONSTRAINT_ALREADY_EXISTS", `Constraint '${action.name}' already exists on ${target.name}. Drop it first or use another name.`, {});
      config[key] = action.check;
      const scan = await buildScanSql(ctx.scan, snap);
      // Existing rows must satisfy the new constraint, or it is refused.
      await withTempTable(ctx, "chk", scan, (rel) => enforceConstraints(ctx, rel, { type: "struct", fields: [] }, { [key]: action.check }));
      operation = "ADD CONSTRAINT";
      params = { name: action.name, expr: action.check };
      break;
    }
    case "dropConstraint": {
      const key = `delta.constraints.${action.name.toLowerCase()}`;
      if (!(key in config) && !action.ifExists) throw new LakehouseError("DELTA_CONSTRAINT_DOES_NOT_EXIST", `Constraint '${action.name}' does not exist on ${target.name}. SHOW TBLPROPERTIES lists constraints as delta.constraints.*.`, {});
      delete config[key];
      operation = "DROP CONSTRAINT";
      params = { name: action.name };
      break;
    }
    case "alterColumn": {
      const f = schema.fields.find((x) => x.name.toLowerCase() === action.column.toLowerCase());
      if (!f) throw new LakehouseError("UNRESOLVED_COLUMN", `Column ${action.column} does not exist in ${target.name}.`, {});
      if (action.setNotNull) {
        const scan = await buildScanSql(ctx.scan, snap);
        await withTempTable(ctx, "chk", scan, (rel) => enforceConstraints(ctx, rel, { type: "struct", fields: [{ ...f, nullable: false }] }, {}));
      }
      schema = { type: "struct", fields: schema.fields.map((x) => x === f ? { ...x, nullable: action.setNotNull ? false : action.dropNotNull ? true : x.nullable, metadata: action.comment !== undefined ? { ...x.metadata, comment: action.comment } : x.metadata } : x) };
      operation = "CHANGE COLUMN";
      params = { column: JSON.stringify({ name: f.name }) };
      break;
    }
    default:
      throw new LakehouseError("UNSUPPORTED_ALTER", "This ALTER TABLE action is not supported here. Supported: ADD COLUMNS, SET/UNSET TBLPROPERTIES, ADD/DROP CONSTRAINT, ALTER COLUMN SET/DROP NOT NULL, COMMENT.", {});
  }
  const protocol = requiredProtocol(snap.protocol, config, checkConstraintsOf(config).length > 0, false);
  const actions: Action[] = [];
  if (JSON.stringify(protocol) !== JSON.stringify(snap.protocol)) actions.push({ protocol });
  if (schemaToString(schema) !== schemaToString(snap.schema) || JSON.stringify(config) !== JSON.stringify(snap.configuration)) {
    actions.push({ metaData: { ...newMetadata(schema, snap.partitionColumns, config, snap.metadata.description ?? undefined, snap.metadata.id), createdTime: snap.metadata.createdTime ?? Date.now() } });
  }
  const res = await commit(ctx.engine, target.root, snap, {
    operation, operationParameters: params, actions,
    footprint: { isolationLevel: "Serializable", isBlindAppend: false, readPredicates: action.kind === "addConstraint" || action.kind === "alterColumn" ? [true] : [], readFiles: new Set(), removedPaths: new Set(), changesMetadata: true, appIds: new Set() },
  });
  return res.version;
}
