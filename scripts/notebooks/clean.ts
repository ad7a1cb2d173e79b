/**
 * Strips outputs from notebooks so that they are committed clean: no outputs, no execution
 * counts, no per-cell execution metadata. Keys are sorted and the JSON indented by one space, as
 * Jupyter itself writes notebooks, so a notebook saved from Jupyter and cleaned gives a small diff.
 *
 *   npx tsx scripts/notebooks/clean.ts            # every notebooks/*.ipynb
 *   npx tsx scripts/notebooks/clean.ts --check    # exit 1 if any notebook is not clean
 *   npx tsx scripts/notebooks/clean.ts a.ipynb …  # only these
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { listNotebooks } from "./harness.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, Json>)[k]!)]));
  return v;
}

/** The clean text of a notebook. */
export function cleanNotebook(text: string): string {
  const nb = JSON.parse(text) as { cells: Record<string, Json>[] };
  for (const cell of nb.cells) {
    if (cell["cell_type"] === "code") {
      cell["outputs"] = [];
      cell["execution_count"] = null;
    }
    const meta = (cell["metadata"] ?? {}) as Record<string, Json>;
    delete meta["execution"];
    delete meta["c360"];
    cell["metadata"] = meta;
  }
  return `${JSON.stringify(sortKeys(nb as unknown as Json), null, 1)}\n`;
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const files = argv.filter((a) => !a.startsWith("--"));
  const targets = files.length ? files : listNotebooks();
  let dirty = 0;
  for (const f of targets) {
    const before = readFileSync(f, "utf8");
    const after = cleanNotebook(before);
    if (before === after) continue;
    dirty++;
    if (check) console.log(`not clean: ${f}`);
    else {
      writeFileSync(f, after);
      console.log(`cleaned: ${f}`);
    }
  }
  if (check && dirty) console.log(`${dirty} notebook(s) have outputs or metadata: run npx tsx scripts/notebooks/clean.ts`);
  return check && dirty ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exit(main(process.argv.slice(2)));
