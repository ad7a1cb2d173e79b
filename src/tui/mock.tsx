/**
 * Mock interview: N mixed questions against the clock (default 10 in 15 minutes) with a visible
 * countdown; no feedback until the end, then a score report by concept, saved to progress.
 */
import { Box, Text, useInput } from "ink";
import { useEffect, useRef, useState } from "react";
import type { MockResult } from "../learn/progress/schema.js";
import { describeCorrect } from "../learn/session/present.js";
import { buildMock, scoreByConcept, topicTitle } from "../learn/session/select.js";
import { pct } from "../learn/session/stats.js";
import type { ItemGrade, QuizItem } from "../learn/types.js";
import { bar, Footer, Header, mmss, ProgressBar, useRows } from "./components.js";
import { useDeps } from "./context.js";
import { useLive } from "./hooks.js";
import { gradeResult } from "./grading.js";
import { QuestionView, questionKeys, type QuestionResult } from "./question.js";

type Phase = "intro" | "question" | "report";

export function MockScreen({ onBack }: { onBack: () => void }) {
  const { data, store, graders, rng, now, mock, tickMs, theme } = useDeps();
  const [phase, setPhase, getPhase] = useLive<Phase>("intro");
  const [items, setItems, getItems] = useLive<QuizItem[]>([]);
  const [index, setIndex, getIndex] = useLive(0);
  const [grades, setGrades] = useState<Array<ItemGrade | undefined>>([]);
  const [startedAt, setStartedAt, getStartedAt] = useLive(0);
  const [clock, setClock] = useState(() => now().getTime());
  const [result, setResult] = useState<MockResult | undefined>();
  const [revealed, setRevealed] = useState(false);
  const gradesRef = useRef<Array<ItemGrade | undefined>>([]);
  const pending = useRef<Array<Promise<void>>>([]);
  const finished = useRef(false);
  const limitMs = mock.minutes * 60_000;
  const rows = useRows();

  const start = () => {
    const picked = buildMock(data.items, { count: mock.count, rng });
    const t = now().getTime();
    gradesRef.current = picked.map(() => undefined);
    pending.current = [];
    finished.current = false;
    setItems(picked);
    setGrades(gradesRef.current);
    setIndex(0);
    setStartedAt(t);
    setClock(t);
    setResult(undefined);
    setRevealed(false);
    setPhase(picked.length > 0 ? "question" : "report");
  };

  const finish = (timedOut: boolean) => {
    if (finished.current) return;
    finished.current = true;
    const items = getItems();
    const startedAt = getStartedAt();
    void Promise.all(pending.current).then(() => {
      const end = now().getTime();
      const gs = gradesRef.current;
      const byConcept = scoreByConcept(items.map((item, i) => ({ item, ...(gs[i] ? { grade: gs[i] } : {}) })));
      const scoreSum = gs.reduce((s, g) => s + (g?.score ?? 0), 0);
      const r: MockResult = {
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(end).toISOString(),
        timeLimitSec: Math.round(limitMs / 1000),
        elapsedSec: Math.round((Math.min(end, startedAt + limitMs) - startedAt) / 1000),
        timedOut,
        total: items.length,
        answered: gs.filter(Boolean).length,
        correct: gs.filter((g) => g?.correct).length,
        score: items.length > 0 ? scoreSum / items.length : 0,
        byConcept,
        itemIds: items.map((i) => i.id),
      };
      store.addMock(r);
      setGrades([...gs]);
      setResult(r);
      setPhase("report");
    });
  };

  useEffect(() => {
    if (phase !== "question") return;
    const t = setInterval(() => {
      const c = now().getTime();
      setClock(c);
      if (c - startedAt >= limitMs) finish(true);
    }, tickMs);
    return () => clearInterval(t);
  });

  const advance = () => {
    setRevealed(false);
    if (getIndex() + 1 >= getItems().length) finish(false);
    else setIndex(getIndex() + 1);
  };

  const submit = (r: QuestionResult) => {
    const i = getIndex();
    const item = getItems()[i];
    if (!item || getPhase() !== "question" || finished.current) return;
    pending.current.push(
      gradeResult(graders, item, r).then((g) => {
        gradesRef.current[i] = g;
        store.recordAnswer(item.id, { correct: g.correct, score: g.score, source: "mock", answer: r.answer });
      }),
    );
    advance();
  };

  useInput((input, key) => {
    const phase = getPhase();
    if (phase === "intro") {
      if (input === "q" || key.escape) {
        onBack();
        return;
      }
      if (key.return) start();
      return;
    }
    if (phase === "question") {
      if (key.escape) {
        finish(false);
        return;
      }
      if (input === "s" && !finished.current) advance();
      return;
    }
    if (input === "q" || key.escape) {
      onBack();
      return;
    }
    if (key.return) setPhase("intro");
  });

  if (phase === "intro") {
    const last = store.data.mocks[store.data.mocks.length - 1];
    return (
      <Box flexDirection="column">
        <Header title="Mock interview" />
        <Text>
          {mock.count} mixed questions, {mock.minutes} minutes. No feedback until the end — like the real thing.
        </Text>
        {last ? <Text color={theme.muted}>Last mock: {last.correct}/{last.total} ({pct(last.score)}) on {last.finishedAt.slice(0, 10)}</Text> : null}
        <Footer keys={[["enter", "start"], ["q", "back"]]} />
      </Box>
    );
  }

  if (phase === "report") {
    const r = result;
    const missed = items.map((it, i) => ({ it, i })).filter(({ i }) => !grades[i]?.correct);
    const reviewRows = Math.max(3, rows - 13 - Object.keys(r?.byConcept ?? {}).length);
    return (
      <Box flexDirection="column">
        <Header title="Mock interview · report" />
        {!r ? <Text>No questions in the bank.</Text> : null}
        {r ? (
          <>
            <Text bold>
              {r.timedOut ? "Time's up! " : ""}Score: {r.correct} / {r.total} ({pct(r.score)}) in {mmss(r.elapsedSec * 1000)}
            </Text>
            <Box flexDirection="column" marginTop={1}>
              <Text bold>By concept</Text>
              {Object.entries(r.byConcept).map(([c, s]) => {
                const b = bar(s.correct, s.total, 10);
                return (
                  <Text key={c}>
                    <Text color={theme.good}>{b.filled}</Text>
                    <Text color={theme.muted}>{b.empty}</Text> {s.correct}/{s.total} {topicTitle(c)}
                  </Text>
                );
              })}
            </Box>
            <Box flexDirection="column" marginTop={1}>
              {missed.length > 0 ? <Text bold>Review these</Text> : <Text color={theme.good}>All correct!</Text>}
              {missed.slice(0, reviewRows).map(({ it, i }) => (
                <Text key={it.id} wrap="truncate-end">
                  <Text color={theme.bad}>{grades[i] ? "✗" : "–"}</Text> {it.prompt.split("\n")[0]!.slice(0, 60)} <Text color={theme.muted}>→ {describeCorrect(it).split("\n")[0]}</Text>
                </Text>
              ))}
              {missed.length > reviewRows ? <Text color={theme.muted}>… and {missed.length - reviewRows} more (practice them by concept)</Text> : null}
            </Box>
            <Text color={theme.muted}>Saved to your progress.</Text>
          </>
        ) : null}
        <Footer keys={[["enter", "new mock"], ["q", "back"]]} />
      </Box>
    );
  }

  const item = items[index];
  const remaining = startedAt + limitMs - clock;
  return (
    <Box flexDirection="column">
      <Header title="Mock interview" right={`⏱ ${mmss(remaining)} left`} />
      <ProgressBar value={index} total={items.length} label={`question ${index + 1}/${items.length}`} />
      {item ? <QuestionView key={`${index}-${item.id}`} item={item} onSubmit={submit} onReveal={() => setRevealed(true)} /> : null}
      <Footer keys={[...(item ? questionKeys(item, revealed) : []), ["s", "skip"], ["esc", "finish now"]]} />
    </Box>
  );
}
