/**
 * Flashcards with FSRS: the front is shown, space flips, 1-4 rate again/hard/good/easy. The
 * header shows what is due and what is left of today's limits; a card that becomes a leech (8
 * lapses) is suspended and announced.
 */
import { Box, Text, useInput } from "ink";
import { useEffect, useState } from "react";
import { useLive } from "./hooks.js";
import { formatInterval, RATINGS, type RatingName } from "../learn/fsrs/scheduler.js";
import { topicTitle } from "../learn/session/select.js";
import type { Flashcard } from "../learn/types.js";
import { Footer, Header, plain } from "./components.js";
import { useDeps } from "./context.js";

export function FlashcardsScreen({ onBack }: { onBack: () => void }) {
  const { data, store, scheduler, now, theme } = useDeps();
  const [flipped, setFlipped, isFlipped] = useLive(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [reviewed, setReviewed] = useState(0);
  const [, setTick] = useState(0);
  // Recomputed every render: ratings change the store, and learning cards fall due over time.
  const t = now();
  const q = scheduler.queue(data.flashcards, store.data.cards, store.data.daily, t);
  const card: Flashcard | undefined = q.queue[0];
  const state = card ? store.data.cards[card.id] : undefined;
  const preview = card && flipped ? scheduler.preview(state, t) : undefined;

  // With nothing due, look again every few seconds: learning cards fall due within minutes.
  useEffect(() => {
    if (card) return;
    const timer = setInterval(() => setTick((n) => n + 1), 5_000);
    return () => clearInterval(timer);
  }, [card]);

  // Handlers look the card up again: a fast key may arrive before the re-render.
  const current = (): Flashcard | undefined => scheduler.queue(data.flashcards, store.data.cards, store.data.daily, now()).queue[0];

  const rate = (r: RatingName) => {
    const card = current();
    if (!card) return;
    const out = scheduler.rate(store.data.cards[card.id], r, store.data.daily, now());
    store.setCard(card.id, out.state, out.daily);
    setReviewed((n) => n + 1);
    setFlipped(false);
    setNotice(out.becameLeech ? `Leech: "${card.front.split("\n")[0]!.slice(0, 60)}" has lapsed ${out.state.lapses} times and is now suspended. Rewrite it in your own words or re-read its guide entry.` : undefined);
  };

  useInput((input, key) => {
    if (input === "q" || key.escape) {
      onBack();
      return;
    }
    if (!current()) return;
    if (!isFlipped()) {
      if (input === " " || key.return) setFlipped(true);
      return;
    }
    const d = /^[1-4]$/.test(input) ? Number(input) - 1 : undefined;
    if (d !== undefined) rate(RATINGS[d]!);
  });

  const status = `due ${q.dueReviews} · new ${Math.min(q.newAvailable, q.newLeft)} (${q.newToday}/${scheduler.newPerDay} today) · reviews ${q.reviewsToday}/${scheduler.reviewsPerDay}`;
  return (
    <Box flexDirection="column">
      <Header title="Flashcards" right={status} />
      {notice ? (
        <Text color={theme.warn} bold>
          ⚠ {notice}
        </Text>
      ) : null}
      {q.leeches > 0 ? <Text color={theme.muted}>{q.leeches} leech{q.leeches === 1 ? "" : "es"} suspended</Text> : null}
      {!card ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={theme.good}>
            {data.flashcards.length === 0 ? "No flashcards in the bank." : reviewed > 0 ? `Done for now: ${reviewed} card${reviewed === 1 ? "" : "s"} reviewed.` : "Nothing due right now."}
          </Text>
          {q.newLeft === 0 && q.newAvailable > 0 ? <Text>Daily limit reached: {scheduler.newPerDay} new cards a day. {q.newAvailable} new cards wait for tomorrow.</Text> : null}
          {q.reviewsLeft === 0 && q.dueReviews > 0 ? <Text>Daily review limit reached ({scheduler.reviewsPerDay}); {q.dueReviews} reviews wait for tomorrow.</Text> : null}
          {q.nextDue ? <Text color={theme.muted}>Next card due in {formatInterval(q.nextDue.getTime() - t.getTime())}.</Text> : null}
        </Box>
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <Text color={theme.muted}>
            {topicTitle(card.concept)} · {state === undefined || state.state === 0 ? "new" : `seen ${state.reps}×, ${state.lapses} lapse${state.lapses === 1 ? "" : "s"}`} · {q.queue.length} in queue
          </Text>
          <Box borderStyle="round" paddingX={1} flexDirection="column">
            <Text bold>{plain(card.front)}</Text>
            {flipped ? (
              <Box marginTop={1} flexDirection="column">
                <Text color={theme.muted}>{"─".repeat(20)}</Text>
                <Text>{plain(card.back)}</Text>
              </Box>
            ) : null}
          </Box>
          {preview ? (
            <Text>
              {RATINGS.map((r, i) => `${i + 1} ${r} (${preview[r].interval})`).join("   ")}
            </Text>
          ) : null}
        </Box>
      )}
      <Footer keys={!card ? [["q", "back"]] : flipped ? [["1", "again"], ["2", "hard"], ["3", "good"], ["4", "easy"], ["q", "back"]] : [["space", "flip"], ["q", "back"]]} />
    </Box>
  );
}
