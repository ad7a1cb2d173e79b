/**
 * Every notebook works in its own sandbox, `.c360/notebooks/<name>/` in the project: a
 * warehouse (catalogs, schemas, Delta tables), a landing zone for raw files, and streaming
 * checkpoints. `sandbox(name)` deletes and recreates it, so a notebook can be run again from the
 * top, in any order with the others, and always starts from the same state.
 *
 * @example
 *   const spark = await sandbox("01-delta-lake");
 *   sandboxPath("01-delta-lake", "landing", "crm");   // …/.c360/notebooks/01-delta-lake/landing/crm
 *   samplePath("crm", "customers_batch_0001.json");    // …/datasets/sample/crm/customers_batch_0001.json
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SparkSession } from "../lakehouse/sql/session.js";

/** The project root: dist/notebook/ (or src/notebook/) is two levels below it. */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`sandbox name '${name}' must be letters, digits, '.', '_' or '-' (it becomes a directory name).`);
  return name;
}

/** The sandbox directory of notebook `name`, or a path inside it. */
export function sandboxPath(name: string, ...parts: string[]): string {
  return join(projectRoot(), ".c360", "notebooks", checkName(name), ...parts);
}

/** A file or folder of the committed Customer 360 sample (datasets/sample). */
export function samplePath(...parts: string[]): string {
  return join(projectRoot(), "datasets", "sample", ...parts);
}

const open = new Map<string, SparkSession>();

/**
 * Resets the sandbox of notebook `name` (deleted and recreated, with `warehouse/`, `landing/`
 * and `checkpoints/` inside) and returns a SparkSession on its warehouse. Re-running the cell
 * stops the session the previous run opened first.
 */
export async function sandbox(name: string): Promise<SparkSession> {
  const dir = sandboxPath(name);
  open.get(name)?.stop();
  open.delete(name);
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ["warehouse", "landing", "checkpoints"]) mkdirSync(join(dir, sub), { recursive: true });
  const spark = await SparkSession.create({ warehouse: join(dir, "warehouse") });
  open.set(name, spark);
  return spark;
}

/**
 * Copies files into a directory, as an upstream system dropping files into cloud storage.
 * Each copy gets a modification time one second after the previous one, so "newest file" is
 * well defined for Auto Loader. Returns the new paths.
 */
export function landFiles(files: string | readonly string[], intoDir: string): string[] {
  mkdirSync(intoDir, { recursive: true });
  const list = typeof files === "string" ? [files] : [...files];
  const existing = readdirSync(intoDir).map((f) => statSync(join(intoDir, f)).mtimeMs);
  let t = Math.max(Date.now(), ...existing.map((m) => m + 1000));
  return list.map((src) => {
    if (!existsSync(src)) throw new Error(`landFiles: ${src} does not exist.`);
    const dest = join(intoDir, basename(src));
    copyFileSync(src, dest);
    const when = new Date(t);
    utimesSync(dest, when, when);
    t += 1000;
    return dest;
  });
}
