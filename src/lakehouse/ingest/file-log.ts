/**
 * The file log of a file source: which files each batch ingested, kept in the query's checkpoint
 * under `sources/0/` (Spark's FileStreamSource keeps the same kind of log there; Databricks'
 * Auto Loader keeps it in a RocksDB store under `sources/0/rocksdb`).
 *
 *   sources/0/<logId>     v1, then one JSON line per file: {"path","size","modificationTime","batchId"}
 *   sources/0/_existing   (cloudFiles.includeExistingFiles=false) files present at the first start
 *
 * A batch's source offset is {"logOffset": <logId>}: batch N covers the files of every log entry
 * after the previous batch's logOffset up to its own. Entries are written BEFORE the batch's
 * offsets, so the offsets never point at a list that does not exist; an entry written by a run that
 * crashed before writing its offsets is simply rewritten by the next run. A file whose path is in
 * any entry up to the last planned offset is never listed again: each file is ingested exactly
 * once across restarts.
 */
import { join } from "node:path";
import type { Storage } from "../kernel/engine.js";

export interface LoggedFile {
  path: string;
  size: number;
  modificationTime: number;
  batchId: number;
}

export class FileLog {
  constructor(private readonly storage: Storage, readonly dir: string) {}

  private path(id: number | string): string {
    return join(this.dir, String(id));
  }

  async ids(): Promise<number[]> {
    const files = await this.storage.list(this.dir, { withStats: false });
    return files.filter((f) => /^\d+$/.test(f.name)).map((f) => Number(f.name)).sort((a, b) => a - b);
  }

  async read(id: number | string): Promise<LoggedFile[]> {
    const p = this.path(id);
    if (!(await this.storage.exists(p))) return [];
    const lines = (await this.storage.readText(p)).split("\n").filter((l) => l.trim() !== "");
    return lines.slice(1).map((l) => JSON.parse(l) as LoggedFile);
  }

  /** (Re)writes entry `id` as a whole. */
  async write(id: number | string, files: LoggedFile[]): Promise<void> {
    await this.storage.writeAtomic(this.path(id), ["v1", ...files.map((f) => JSON.stringify(f))].join("\n") + "\n");
  }

  async hasExisting(): Promise<boolean> {
    return this.storage.exists(this.path("_existing"));
  }

  async writeExisting(files: LoggedFile[]): Promise<void> {
    await this.write("_existing", files);
  }

  /** Files of entries in (after, upTo]; `after` undefined means from the start. */
  async filesBetween(after: number | undefined, upTo: number): Promise<LoggedFile[]> {
    const out: LoggedFile[] = [];
    for (const id of await this.ids()) if ((after === undefined || id > after) && id <= upTo) out.push(...(await this.read(id)));
    return out;
  }

  /** Every file recorded up to entry `upTo` (plus the pre-existing ones). */
  async seen(upTo: number | undefined): Promise<LoggedFile[]> {
    const out = await this.read("_existing");
    if (upTo === undefined) return out;
    for (const id of await this.ids()) if (id <= upTo) out.push(...(await this.read(id)));
    return out;
  }
}
