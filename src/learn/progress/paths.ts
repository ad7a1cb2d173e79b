/**
 * Where progress lives: `--data-dir`, else `$C360_QUIZ_DATA`, else `$XDG_DATA_HOME/c360-lab`,
 * else `~/.local/share/c360-lab` (the XDG default). Relative XDG paths are ignored, as the XDG
 * spec requires.
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export const PROGRESS_FILE = "progress.json";

export interface DataDirOptions {
  dataDir?: string | undefined;
  env?: Record<string, string | undefined>;
  home?: string;
}

export function resolveDataDir(opts: DataDirOptions = {}): string {
  const env = opts.env ?? process.env;
  if (opts.dataDir) return resolve(opts.dataDir);
  const fromEnv = env["C360_QUIZ_DATA"];
  if (fromEnv) return resolve(fromEnv);
  const xdg = env["XDG_DATA_HOME"];
  if (xdg && isAbsolute(xdg)) return join(xdg, "c360-lab");
  return join(opts.home ?? homedir(), ".local", "share", "c360-lab");
}

export function progressFile(dataDir: string): string {
  return join(dataDir, PROGRESS_FILE);
}
