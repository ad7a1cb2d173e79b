/** Pieces shared by the screens: header, footer with the keys of the screen, progress bar. */
import { Box, Text, useStdout } from "ink";
import { plainText } from "../learn/session/present.js";
import { useDeps } from "./context.js";

export function Header({ title, right }: { title: string; right?: string | undefined }) {
  const { theme } = useDeps();
  return (
    <Box justifyContent="space-between">
      <Text bold color={theme.accent}>
        c360-quiz · {title}
      </Text>
      {right ? <Text>{right}</Text> : null}
    </Box>
  );
}

/** The persistent footer: the keys that work on the current screen. */
export function Footer({ keys }: { keys: Array<[string, string]> }) {
  const { theme } = useDeps();
  return (
    <Box marginTop={1} flexDirection="column">
      <Text color={theme.muted}>{"─".repeat(60)}</Text>
      <Text>
        {keys.map(([k, what], i) => (
          <Text key={k}>
            {i > 0 ? "  " : ""}
            <Text bold>{k}</Text> <Text color={theme.muted}>{what}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}

export function bar(value: number, total: number, width = 20): { filled: string; empty: string } {
  const ratio = total > 0 ? Math.min(1, Math.max(0, value / total)) : 0;
  const n = Math.round(ratio * width);
  return { filled: "█".repeat(n), empty: "░".repeat(width - n) };
}

export function ProgressBar({ value, total, width = 20, label }: { value: number; total: number; width?: number; label?: string }) {
  const { theme } = useDeps();
  const b = bar(value, total, width);
  return (
    <Text>
      <Text color={theme.accent}>{b.filled}</Text>
      <Text color={theme.muted}>{b.empty}</Text> {label ?? `${value}/${total}`}
    </Text>
  );
}

/**
 * A selectable list line: "❯ 1. text" when selected (`index` numbers it, `label` letters it).
 * Wrapped lines stay indented under the text; `truncate` keeps it to one line instead.
 */
export function MenuLine({ selected, index, label, text, suffix, truncate = false }: { selected: boolean; index?: number | undefined; label?: string | undefined; text: string; suffix?: string | undefined; truncate?: boolean }) {
  const { theme } = useDeps();
  const cols = useColumns();
  const mark = `${selected ? "❯ " : "  "}${label !== undefined ? `${label}. ` : index !== undefined ? `${index}. ` : ""}`;
  let body = text;
  let tail = suffix ? `  ${suffix}` : "";
  if (truncate) {
    // One line, cut by hand: ink's truncation of nested Text can overflow by a column.
    const room = Math.max(10, cols - [...mark].length - 1);
    if ([...body].length > room) {
      body = [...body].slice(0, room - 1).join("") + "…";
      tail = "";
    } else if ([...body].length + [...tail].length > room) {
      tail = [...tail].slice(0, room - [...body].length - 1).join("") + "…";
    }
  }
  return (
    <Box>
      <Text color={selected ? theme.accent : undefined} bold={selected}>
        {mark}
      </Text>
      <Box flexShrink={1}>
        <Text color={selected ? theme.accent : undefined} bold={selected}>
          {body}
          {tail ? <Text color={theme.muted}>{tail}</Text> : null}
        </Text>
      </Box>
    </Box>
  );
}

/** Terminal width (100 when unknown). */
export function useColumns(): number {
  const { stdout } = useStdout();
  return stdout.columns && stdout.columns > 0 ? stdout.columns : 100;
}

/** Terminal height (30 when unknown, e.g. in tests). */
export function useRows(): number {
  const { stdout } = useStdout();
  return stdout.rows && stdout.rows > 0 ? stdout.rows : 30;
}

/** The slice of a long list to show so that the cursor stays visible. */
export function listWindow(length: number, cursor: number, size: number): { start: number; end: number } {
  const n = Math.max(1, size);
  if (length <= n) return { start: 0, end: length };
  const start = Math.min(Math.max(0, cursor - Math.floor(n / 2)), length - n);
  return { start, end: start + n };
}

/** Markdown-light text for the terminal (see plainText). */
export const plain = plainText;

export function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
