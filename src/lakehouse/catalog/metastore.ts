/**
 * A local metastore with Unity Catalog's three-level namespace: catalog → schema → table.
 * Managed tables live under the warehouse directory (`<warehouse>/<catalog>/<schema>/<table>`);
 * external tables are registered with their own location. Entries are small JSON files under
 * `<warehouse>/_metastore/`, one per object, so several processes can share a warehouse.
 * Names are case-insensitive and stored lower-case, as Unity Catalog does.
 */
import { promises as fs, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LakehouseError } from "../errors.js";

export const DEFAULT_CATALOG = "main";
export const DEFAULT_SCHEMA = "default";

export interface TableEntry {
  catalog: string;
  schema: string;
  name: string;
  type: "MANAGED" | "EXTERNAL";
  location: string;
  format: "delta";
  createdAt: number;
  comment?: string;
}

export class NoSuchObjectError extends LakehouseError {
  constructor(kind: "CATALOG" | "SCHEMA" | "TABLE", name: string, hint: string) {
    const code = kind === "TABLE" ? "TABLE_OR_VIEW_NOT_FOUND" : kind === "SCHEMA" ? "SCHEMA_NOT_FOUND" : "NO_SUCH_CATALOG_EXCEPTION";
    super(code, `The ${kind.toLowerCase()} ${name} cannot be found. ${hint}`, { name }, "42P01");
  }
}

export class ObjectExistsError extends LakehouseError {
  constructor(kind: "CATALOG" | "SCHEMA" | "TABLE", name: string) {
    const code = kind === "TABLE" ? "TABLE_OR_VIEW_ALREADY_EXISTS" : kind === "SCHEMA" ? "SCHEMA_ALREADY_EXISTS" : "CATALOG_ALREADY_EXISTS";
    super(code, `The ${kind.toLowerCase()} ${name} already exists. Use IF NOT EXISTS, CREATE OR REPLACE, or pick another name.`, { name }, "42P07");
  }
}

function norm(name: string): string {
  if (!/^[^\s/\\.]+$/.test(name)) {
    throw new LakehouseError("INVALID_IDENTIFIER", `The name '${name}' is not a valid object name here (no dots, slashes or spaces). Quote-free names like customer_360 work everywhere.`, { name });
  }
  return name.toLowerCase();
}

export class Metastore {
  readonly warehouse: string;
  private readonly root: string;

  constructor(warehouse: string) {
    this.warehouse = resolve(warehouse);
    this.root = join(this.warehouse, "_metastore");
  }

  private catalogFile(c: string) { return join(this.root, "catalogs", `${norm(c)}.json`); }
  private schemaFile(c: string, s: string) { return join(this.root, "schemas", norm(c), `${norm(s)}.json`); }
  private tableFile(c: string, s: string, t: string) { return join(this.root, "tables", norm(c), norm(s), `${norm(t)}.json`); }

  private async readJson<T>(path: string): Promise<T | undefined> {
    try {
      // Entries are a few hundred bytes and read on every query: a synchronous read costs a
      // fraction of a trip through libuv's thread pool.
      return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new LakehouseError("METASTORE_CORRUPT", `The metastore entry ${path} is unreadable (${(e as Error).message}). Fix or delete that file; table data is not affected.`, { path });
    }
  }

  private async writeJson(path: string, value: unknown, exclusive: boolean): Promise<boolean> {
    await fs.mkdir(join(path, ".."), { recursive: true });
    if (exclusive) {
      try {
        await fs.writeFile(path, JSON.stringify(value, null, 2), { flag: "wx" });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw e;
      }
    }
    const tmp = `${path}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(value, null, 2));
    await fs.rename(tmp, path);
    return true;
  }

  async ensureDefaults(): Promise<void> {
    await this.createCatalog(DEFAULT_CATALOG, true);
    await this.createSchema(DEFAULT_CATALOG, DEFAULT_SCHEMA, true);
  }

  async createCatalog(name: string, ifNotExists: boolean, comment?: string): Promise<void> {
    const ok = await this.writeJson(this.catalogFile(name), { name: norm(name), comment, createdAt: Date.now() }, true);
    if (!ok && !ifNotExists) throw new ObjectExistsError("CATALOG", name);
    if (ok) await this.createSchema(name, DEFAULT_SCHEMA, true);
  }

  async catalogExists(name: string): Promise<boolean> {
    return (await this.readJson(this.catalogFile(name))) !== undefined;
  }

  async schemaExists(c: string, s: string): Promise<boolean> {
    return (await this.readJson(this.schemaFile(c, s))) !== undefined;
  }

  async createSchema(c: string, s: string, ifNotExists: boolean, comment?: string): Promise<void> {
    if (!(await this.catalogExists(c))) throw new NoSuchObjectError("CATALOG", c, "Create it with CREATE CATALOG, or check SHOW CATALOGS.");
    const ok = await this.writeJson(this.schemaFile(c, s), { catalog: norm(c), name: norm(s), comment, createdAt: Date.now() }, true);
    if (!ok && !ifNotExists) throw new ObjectExistsError("SCHEMA", `${c}.${s}`);
  }

  async listCatalogs(): Promise<string[]> {
    return this.listNames(join(this.root, "catalogs"));
  }

  async listSchemas(c: string): Promise<string[]> {
    if (!(await this.catalogExists(c))) throw new NoSuchObjectError("CATALOG", c, "Check SHOW CATALOGS.");
    return this.listNames(join(this.root, "schemas", norm(c)));
  }

  async listTables(c: string, s: string): Promise<TableEntry[]> {
    if (!(await this.schemaExists(c, s))) throw new NoSuchObjectError("SCHEMA", `${c}.${s}`, "Check SHOW SCHEMAS.");
    const out: TableEntry[] = [];
    for (const n of await this.listNames(join(this.root, "tables", norm(c), norm(s)))) {
      const e = await this.getTable(c, s, n);
      if (e) out.push(e);
    }
    return out;
  }

  private async listNames(dir: string): Promise<string[]> {
    try {
      return (await fs.readdir(dir)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
    } catch {
      return [];
    }
  }

  async getTable(c: string, s: string, t: string): Promise<TableEntry | undefined> {
    return this.readJson<TableEntry>(this.tableFile(c, s, t));
  }

  managedLocation(c: string, s: string, t: string): string {
    return join(this.warehouse, norm(c), norm(s), norm(t));
  }

  async registerTable(entry: Omit<TableEntry, "createdAt" | "format">, replace = false): Promise<TableEntry> {
    if (!(await this.schemaExists(entry.catalog, entry.schema))) {
      throw new NoSuchObjectError("SCHEMA", `${entry.catalog}.${entry.schema}`, `Create it first: CREATE SCHEMA ${entry.catalog}.${entry.schema}.`);
    }
    const full: TableEntry = { ...entry, catalog: norm(entry.catalog), schema: norm(entry.schema), name: norm(entry.name), format: "delta", createdAt: Date.now() };
    const ok = await this.writeJson(this.tableFile(entry.catalog, entry.schema, entry.name), full, !replace);
    if (!ok) throw new ObjectExistsError("TABLE", `${entry.catalog}.${entry.schema}.${entry.name}`);
    return full;
  }

  async dropTable(c: string, s: string, t: string): Promise<TableEntry | undefined> {
    const e = await this.getTable(c, s, t);
    if (!e) return undefined;
    await fs.rm(this.tableFile(c, s, t), { force: true });
    // Dropping a managed table deletes its data, as in Unity Catalog; external data stays.
    if (e.type === "MANAGED") await fs.rm(e.location, { recursive: true, force: true });
    return e;
  }

  async dropSchema(c: string, s: string, cascade: boolean): Promise<boolean> {
    if (!(await this.schemaExists(c, s))) return false;
    const tables = await this.listTables(c, s);
    if (tables.length && !cascade) {
      throw new LakehouseError("SCHEMA_NOT_EMPTY", `Cannot drop schema ${c}.${s} because it contains ${tables.length} table(s). Use DROP SCHEMA … CASCADE, or drop the tables first.`, { schema: `${c}.${s}` });
    }
    for (const t of tables) await this.dropTable(c, s, t.name);
    await fs.rm(this.schemaFile(c, s), { force: true });
    return true;
  }

  async dropCatalog(c: string, cascade: boolean): Promise<boolean> {
    if (!(await this.catalogExists(c))) return false;
    const schemas = await this.listSchemas(c);
    const nonEmpty = [];
    for (const s of schemas) if ((await this.listTables(c, s)).length) nonEmpty.push(s);
    if (nonEmpty.length && !cascade) {
      throw new LakehouseError("CATALOG_NOT_EMPTY", `Cannot drop catalog ${c}: schema(s) [${nonEmpty.join(", ")}] still hold tables. Use DROP CATALOG ${c} CASCADE.`, { catalog: c });
    }
    for (const s of schemas) await this.dropSchema(c, s, true);
    await fs.rm(this.catalogFile(c), { force: true });
    return true;
  }
}
