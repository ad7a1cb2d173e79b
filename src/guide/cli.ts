#!/usr/bin/env node
/**
 * Builds the static guide site.
 *   node --import tsx src/guide/cli.ts [--out dir] [--root dir]
 *   node dist/guide/cli.js [--out dir] [--root dir]
 * Prints the output folder and the number of pages.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSite } from "./build.js";

const USAGE = "usage: guide [--out dir] [--root dir]\n  Renders guide/, lessons/ and build/notebooks-html/ to a static site (default build/site/).";

function parseArgs(argv: string[]): { out?: string; root?: string } | "help" {
  const opts: { out?: string; root?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") return "help";
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== "--out" && name !== "--root") throw new Error(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!value) throw new Error(`${name} needs a folder`);
    opts[name === "--out" ? "out" : "root"] = value;
  }
  return opts;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`guide: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (opts === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { out, pages } = await buildSite(opts);
  process.stdout.write(`${out}\n${pages} pages · open ${pathToFileURL(join(out, "index.html")).href}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`guide: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
