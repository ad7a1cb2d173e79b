/** Home menu: practice, mock interview, flashcards, exercises, stats, quit. */
import { Box, Text, useApp, useInput } from "ink";
import { Footer, Header, MenuLine } from "./components.js";
import { useDeps, type ScreenName } from "./context.js";
import { useLive } from "./hooks.js";

const ENTRIES: Array<[ScreenName | "quit", string]> = [
  ["practice", "Practice by concept"],
  ["mock", "Mock interview"],
  ["flashcards", "Flashcards"],
  ["exercises", "Exercises"],
  ["stats", "Stats"],
  ["quit", "Quit"],
];

export function HomeScreen({ onSelect, notices = [] }: { onSelect: (s: ScreenName) => void; notices?: string[] }) {
  const { exit } = useApp();
  const { data, store, scheduler, now, theme } = useDeps();
  const [cursor, setCursor, getCursor] = useLive(0);
  const q = scheduler.queue(data.flashcards, store.data.cards, store.data.daily, now());
  const passed = data.exercises.filter((e) => store.data.exercises[e.id]?.status === "passed").length;
  const hints: Record<string, string> = {
    practice: `${data.items.length} questions`,
    mock: "timed, mixed",
    flashcards: `${q.queue.length} to study`,
    exercises: `${passed}/${data.exercises.length} passed`,
  };

  const choose = (i: number) => {
    const e = ENTRIES[i];
    if (!e) return;
    if (e[0] === "quit") exit();
    else onSelect(e[0]);
  };

  useInput((input, key) => {
    if (input === "q" || key.escape) {
      exit();
      return;
    }
    if (key.upArrow) {
      setCursor((c) => (c + ENTRIES.length - 1) % ENTRIES.length);
      return;
    }
    if (key.downArrow) {
      setCursor((c) => (c + 1) % ENTRIES.length);
      return;
    }
    if (/^[1-6]$/.test(input)) {
      choose(Number(input) - 1);
      return;
    }
    if (key.return) choose(getCursor());
  });

  return (
    <Box flexDirection="column">
      <Header title="Databricks interview training" />
      {notices.map((n, i) => (
        <Text key={i} color={theme.warn}>
          ⚠ {n}
        </Text>
      ))}
      <Box flexDirection="column" marginTop={1}>
        {ENTRIES.map(([id, label], i) => (
          <MenuLine key={id} selected={i === cursor} index={i + 1} text={label} suffix={hints[id]} />
        ))}
      </Box>
      <Footer keys={[["↑↓", "move"], ["enter/1-6", "select"], ["q", "quit"]]} />
    </Box>
  );
}
