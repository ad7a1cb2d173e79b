/** Stats: accuracy by concept, flashcards due, exercises passed, mock interviews. */
import { Box, Text, useInput } from "ink";
import { computeStats, pct } from "../learn/session/stats.js";
import { bar, Footer, Header } from "./components.js";
import { useDeps } from "./context.js";

export function StatsScreen({ onBack }: { onBack: () => void }) {
  const { data, store, scheduler, now, theme } = useDeps();
  const s = computeStats(store.data, data, scheduler, now());

  useInput((input, key) => {
    if (input === "q" || key.escape || key.return) onBack();
  });

  return (
    <Box flexDirection="column">
      <Header title="Stats" />
      <Text>
        Answered <Text bold>{s.answered}</Text> of {data.items.length} questions ({s.attempts} attempts) · accuracy <Text bold>{pct(s.accuracy)}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {s.byConcept.map((c) => {
          const b = bar(c.mastered, c.items, 12);
          return (
            <Text key={c.concept}>
              <Text color={theme.good}>{b.filled}</Text>
              <Text color={theme.muted}>{b.empty}</Text> {String(c.mastered).padStart(3)}/{String(c.items).padEnd(3)} {pct(c.accuracy).padStart(4)}  {c.title}
            </Text>
          );
        })}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text>
          Flashcards: <Text bold>{s.flashcards.due}</Text> due · {s.flashcards.newAvailable} new ({s.flashcards.newLeftToday} left today) · {s.flashcards.leeches} leeches
        </Text>
        <Text>
          Exercises: <Text bold>{s.exercises.passed}</Text>/{s.exercises.total} passed · {s.exercises.started} started
        </Text>
        <Text>
          Mock interviews: {s.mocks.count}
          {s.mocks.last ? ` · last ${s.mocks.last.correct}/${s.mocks.last.total} · best ${pct(s.mocks.best)}` : ""}
        </Text>
        <Text color={theme.muted}>Progress file: {store.file}</Text>
      </Box>
      <Footer keys={[["q", "back"]]} />
    </Box>
  );
}
