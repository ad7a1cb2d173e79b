/** Shared helpers of the streaming and Auto Loader tests: a session in a temp dir, files that land, rows. */
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SparkSession } from "../../../src/lakehouse/sql/session.js";
import { removeDir, tempDir } from "../../helpers.js";

export interface Lab {
  spark: SparkSession;
  dir: string;
  landing: string;
  chk: string;
  close(): void;
}

export async function lab(): Promise<Lab> {
  const dir = tempDir("c360-stream-");
  const spark = await SparkSession.create({ warehouse: join(dir, "warehouse"), scratchDir: join(dir, "scratch") });
  const landing = join(dir, "landing");
  mkdirSync(landing, { recursive: true });
  return {
    spark, dir, landing, chk: join(dir, "chk"),
    close() {
      spark.stop();
      removeDir(dir);
    },
  };
}

let clock = Date.UTC(2024, 0, 1) / 1000;

/** Writes a file with a strictly increasing modification time (files are discovered oldest first). */
export function land(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  clock += 10;
  utimesSync(path, clock, clock);
  return path;
}

/** JSON lines of objects. */
export function jsonl(rows: Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** Rows of a table as plain objects, sorted by `orderBy`. */
export async function rows(spark: SparkSession, table: string, orderBy: string): Promise<Record<string, unknown>[]> {
  const df = await spark.sql(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
  return (await df.collect()).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
}
