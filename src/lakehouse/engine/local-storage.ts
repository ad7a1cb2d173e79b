/**
 * Storage on the local file system. Put-if-absent is built from a fully written, fsynced
 * temporary file and `link(2)`, which fails with EEXIST instead of replacing: so a commit file
 * appears whole or not at all, across threads and across OS processes.
 */
import { promises as fs, constants as fsc } from "node:fs";
import { randomUUID } from "node:crypto";
import { dirname, join, relative, sep } from "node:path";
import type { FileInfo, Storage } from "../kernel/engine.js";

export class LocalStorage implements Storage {
  async list(dir: string, opts: { withStats?: boolean } = {}): Promise<FileInfo[]> {
    if (opts.withStats === false) {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw e;
      }
      return entries.filter((e) => e.isFile()).map((e) => ({ path: join(dir, e.name), name: e.name, size: -1, mtime: -1 })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    names.sort();
    const out: FileInfo[] = [];
    for (const name of names) {
      try {
        const st = await fs.stat(join(dir, name));
        if (st.isFile()) out.push({ path: join(dir, name), name, size: st.size, mtime: st.mtimeMs });
      } catch {
        // Deleted between readdir and stat (a concurrent VACUUM or temp file): not there.
      }
    }
    return out;
  }

  async listRecursive(dir: string): Promise<FileInfo[]> {
    const out: FileInfo[] = [];
    const walk = async (d: string) => {
      let entries;
      try {
        entries = await fs.readdir(d, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        throw e;
      }
      for (const e of entries) {
        const p = join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) {
          try {
            const st = await fs.stat(p);
            out.push({ path: p, name: relative(dir, p).split(sep).join("/"), size: st.size, mtime: st.mtimeMs });
          } catch {
            /* vanished */
          }
        }
      }
    };
    await walk(dir);
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }

  async stat(path: string): Promise<{ size: number; mtime: number }> {
    const st = await fs.stat(path);
    return { size: st.size, mtime: st.mtimeMs };
  }

  async readText(path: string): Promise<string> {
    return fs.readFile(path, "utf8");
  }

  async readBytes(path: string): Promise<Uint8Array> {
    return new Uint8Array(await fs.readFile(path));
  }

  async exists(path: string): Promise<boolean> {
    try {
      await fs.access(path, fsc.F_OK);
      return true;
    } catch {
      return false;
    }
  }

  async putIfAbsent(path: string, content: string): Promise<boolean> {
    const tmpDir = join(dirname(path), ".tmp");
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.tmp`);
    const fh = await fs.open(tmp, "wx");
    try {
      await fh.writeFile(content, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.link(tmp, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    } finally {
      await fs.unlink(tmp).catch(() => undefined);
    }
  }

  async writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
    await fs.mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await fs.writeFile(tmp, content);
    await fs.rename(tmp, path);
  }

  async delete(path: string): Promise<void> {
    await fs.rm(path, { force: true });
  }

  async mkdirs(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
  }

  async rename(from: string, to: string): Promise<void> {
    await fs.mkdir(dirname(to), { recursive: true });
    await fs.rename(from, to);
  }
}
