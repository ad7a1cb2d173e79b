/** File naming and file-system helpers of the generator. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

export const SOURCE_DIRS = ["crm", "transactions", "clickstream", "support_tickets"] as const;

/** `crm/customers_batch_0001.json`: the relative path of batch `b` of a source. */
export function batchFile(dir: string, prefix: string, b: number, ext: string): string {
  return `${dir}/${prefix}_batch_${String(b).padStart(4, "0")}.${ext}`;
}

export function fileBytes(path: string): number {
  return statSync(path).size;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * Makes the source folders under `out` and removes batch files a previous run left there (only
 * files named like ours, so nothing else in the folder is touched).
 */
export function prepareOut(out: string): void {
  for (const d of SOURCE_DIRS) {
    const dir = join(out, d);
    if (existsSync(dir)) {
      for (const f of readdirSync(dir)) if (/_batch_\d{4}\.(json|csv|parquet)$/.test(f)) rmSync(join(dir, f), { force: true });
    }
    mkdirSync(dir, { recursive: true });
  }
}

/** Every file under `dir` (recursively) as relative path → sha256, sorted by path. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = join(dir, rel);
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = sha256File(join(dir, r));
    }
  };
  walk("");
  return out;
}
