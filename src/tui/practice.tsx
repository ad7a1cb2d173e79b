/** Practice by concept: pick a topic, answer its questions one by one with immediate feedback. */
import { Box, Text, useInput } from "ink";
import { useMemo, useState } from "react";
import { pickPractice, topicsWithItems, topicTitle } from "../learn/session/select.js";
import { pct } from "../learn/session/stats.js";
import type { ItemGrade, QuizItem } from "../learn/types.js";
import { Footer, Header, MenuLine, ProgressBar } from "./components.js";
import { useDeps } from "./context.js";
import { useLive } from "./hooks.js";
import { gradeResult, Verdict } from "./grading.js";
import { QuestionView, questionKeys, type QuestionResult } from "./question.js";

type Phase = "pick" | "question" | "grading" | "feedback" | "done";

export function PracticeScreen({ onBack }: { onBack: () => void }) {
  const { data, store, graders, rng, practiceCount, theme } = useDeps();
  const topics = useMemo(() => topicsWithItems(data.items), [data.items]);
  const [phase, setPhase, getPhase] = useLive<Phase>("pick");
  const [cursor, setCursor, getCursor] = useLive(0);
  const [topic, setTopic, getTopic] = useLive<string | undefined>(undefined);
  const [round, setRound, getRound] = useLive<QuizItem[]>([]);
  const [index, setIndex, getIndex] = useLive(0);
  const [grades, setGrades] = useState<ItemGrade[]>([]);
  const [revealed, setRevealed] = useState(false);
  const item = round[index];

  const accuracy = (t: string): string => {
    let n = 0;
    let ok = 0;
    for (const it of data.items) {
      if (it.concept !== t) continue;
      const h = store.data.answers[it.id];
      if (!h) continue;
      n += h.length;
      ok += h.filter((x) => x.correct).length;
    }
    return n > 0 ? pct(ok / n) : "new";
  };

  const begin = (t: string) => {
    const items = pickPractice(data.items, { concept: t, count: practiceCount, rng, answers: store.data.answers });
    setTopic(t);
    setRound(items);
    setIndex(0);
    setGrades([]);
    setRevealed(false);
    setPhase(items.length > 0 ? "question" : "done");
  };

  const submit = (r: QuestionResult) => {
    const item = getRound()[getIndex()];
    if (!item || getPhase() !== "question") return;
    setPhase("grading");
    void gradeResult(graders, item, r).then((g) => {
      store.recordAnswer(item.id, { correct: g.correct, score: g.score, source: "practice", answer: r.answer });
      setGrades((gs) => [...gs, g]);
      setPhase("feedback");
    });
  };

  const next = () => {
    setRevealed(false);
    if (getIndex() + 1 >= getRound().length) {
      setPhase("done");
      return;
    }
    setIndex(getIndex() + 1);
    setPhase("question");
  };

  useInput((input, key) => {
    const phase = getPhase();
    const cursor = getCursor();
    const topic = getTopic();
    if (phase === "pick") {
      if (input === "q" || key.escape) {
        onBack();
        return;
      }
      if (key.upArrow) {
        setCursor((c) => (c + topics.length - 1) % topics.length);
        return;
      }
      if (key.downArrow) {
        setCursor((c) => (c + 1) % topics.length);
        return;
      }
      const d = /^[1-9]$/.test(input) ? Number(input) - 1 : undefined;
      if (d !== undefined && d < topics.length) {
        begin(topics[d]!);
        return;
      }
      if (key.return && topics[cursor]) begin(topics[cursor]!);
      return;
    }
    if (phase === "question" || phase === "grading") {
      if (key.escape || input === "q") setPhase("done");
      return;
    }
    if (phase === "feedback") {
      if (input === "q" || key.escape) {
        setPhase("done");
        return;
      }
      if (key.return || input === "n" || input === " ") next();
      return;
    }
    if (phase === "done") {
      if (input === "q" || key.escape) {
        onBack();
        return;
      }
      if (key.return) {
        setPhase("pick");
        return;
      }
      if (input === "r" && topic) begin(topic);
    }
  });

  if (phase === "pick") {
    return (
      <Box flexDirection="column">
        <Header title="Practice" />
        <Text>Pick a concept:</Text>
        {topics.length === 0 ? <Text color={theme.warn}>The question bank is empty.</Text> : null}
        {topics.map((t, i) => (
          <MenuLine key={t} selected={i === cursor} index={i + 1} text={topicTitle(t)} suffix={`${data.items.filter((x) => x.concept === t).length} questions · ${accuracy(t)}`} />
        ))}
        <Footer keys={[["↑↓", "move"], ["enter/1-9", "start"], ["q", "back"]]} />
      </Box>
    );
  }

  if (phase === "done") {
    const correct = grades.filter((g) => g.correct).length;
    return (
      <Box flexDirection="column">
        <Header title={`Practice · ${topic ? topicTitle(topic) : ""}`} />
        {round.length === 0 ? <Text>No questions for this concept yet.</Text> : <Text bold>Round over: {correct} / {grades.length} correct{grades.length < round.length ? ` (${round.length - grades.length} skipped)` : ""}.</Text>}
        <ProgressBar value={correct} total={Math.max(1, grades.length)} label={pct(grades.length ? correct / grades.length : null)} />
        <Footer keys={[["r", "another round"], ["enter", "pick a concept"], ["q", "back"]]} />
      </Box>
    );
  }

  const grade = grades[index];
  return (
    <Box flexDirection="column">
      <Header title={`Practice · ${topic ? topicTitle(topic) : ""}`} right={`question ${index + 1}/${round.length}`} />
      <ProgressBar value={index + (phase === "feedback" ? 1 : 0)} total={round.length} />
      {item ? <QuestionView key={`${index}-${item.id}`} item={item} active={phase === "question"} onSubmit={submit} onReveal={() => setRevealed(true)} /> : null}
      {phase === "grading" ? <Text color={theme.muted}>Checking…</Text> : null}
      {phase === "feedback" && item && grade ? <Verdict item={item} grade={grade} /> : null}
      <Footer keys={phase === "feedback" ? [["enter/n", index + 1 >= round.length ? "finish" : "next question"], ["q", "end round"]] : item ? [...questionKeys(item, revealed), ["esc", "end round"]] : [["esc", "end round"]]} />
    </Box>
  );
}
