/**
 * Colours of the TUI. Colour is off when NO_COLOR is set to anything non-empty (no-color.org) or
 * FORCE_COLOR is 0/false; the screens then rely on markers (❯, ✓, ✗) alone.
 */

export interface Theme {
  color: boolean;
  accent: string | undefined;
  good: string | undefined;
  bad: string | undefined;
  warn: string | undefined;
  muted: string | undefined;
}

export function colorEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const noColor = env["NO_COLOR"];
  if (noColor !== undefined && noColor !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && (force === "0" || force.toLowerCase() === "false")) return false;
  return true;
}

export function makeTheme(color: boolean = colorEnabled()): Theme {
  return color
    ? { color, accent: "cyan", good: "green", bad: "red", warn: "yellow", muted: "gray" }
    : { color, accent: undefined, good: undefined, bad: undefined, warn: undefined, muted: undefined };
}
