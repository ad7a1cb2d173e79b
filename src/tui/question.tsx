/**
 * One question, answered with the keyboard (used by Practice and Mock interview). Choices are
 * lettered A, B, C… as the graders' feedback names them.
 * single choice: ↑↓ + enter, or a number (1 = A) or letter key; multiple choice: space, number
 * or letter toggles, enter answers; true/false: t/f (or 1/2); ordering: number keys in the right
 * order, backspace undoes, enter answers; free response: space reveals the reference answer and
 * its key points, number keys mark the ones you covered, enter records the self-assessment.
 */
import { Box, Text, useInput } from "ink";
import { useRef } from "react";
import { letter, stepPermutation } from "../learn/session/present.js";
import { topicTitle } from "../learn/session/select.js";
import type { Answer, QuizItem } from "../learn/types.js";
import { MenuLine, plain } from "./components.js";
import { useDeps } from "./context.js";
import { useLive } from "./hooks.js";

export interface QuestionResult {
  kind: "answer";
  answer: Answer;
}

export function questionKeys(item: QuizItem, revealed = false): Array<[string, string]> {
  switch (item.type) {
    case "single":
      return [["↑↓", "move"], ["1-9/a-i", "choose"], ["enter", "answer"]];
    case "multiple":
      return [["↑↓", "move"], ["space/1-9/a-i", "toggle"], ["enter", "answer"]];
    case "truefalse":
      return [["t/f or 1/2", "true/false"], ["↑↓", "move"], ["enter", "answer"]];
    case "ordering":
      return [["1-9", "next step"], ["backspace", "undo"], ["enter", "answer"]];
    case "free":
      if (!revealed) return [["space", "show the reference answer"]];
      return item.keyPoints.length > 0 ? [["1-9", "mark a key point you covered"], ["enter", "record"]] : [["y", "I had it"], ["n", "I missed it"]];
  }
}

function digit(input: string): number | undefined {
  return /^[1-9]$/.test(input) ? Number(input) - 1 : undefined;
}

/** A number key (1 = first) or a letter key (a = first). */
function choiceKey(input: string): number | undefined {
  const d = digit(input);
  if (d !== undefined) return d;
  return /^[a-i]$/i.test(input) ? input.toLowerCase().charCodeAt(0) - 97 : undefined;
}

export function QuestionView({ item, seed = "", active = true, onSubmit, onReveal }: { item: QuizItem; seed?: string; active?: boolean; onSubmit: (r: QuestionResult) => void; onReveal?: () => void }) {
  const { theme } = useDeps();
  const [cursor, setCursor, getCursor] = useLive(0);
  const [picked, setPicked, getPicked] = useLive<number[]>([]);
  const [revealed, setRevealed, isRevealed] = useLive(false);
  const done = useRef(false);
  const options: string[] =
    item.type === "single" || item.type === "multiple"
      ? item.choices
      : item.type === "truefalse"
        ? ["True", "False"]
        : item.type === "ordering"
          ? stepPermutation(item.steps.length, item.id, seed).map((i) => item.steps[i]!)
          : [];

  const submit = (r: QuestionResult) => {
    if (done.current) return; // one answer per question, even if keys arrive before the re-render
    done.current = true;
    onSubmit(r);
  };

  useInput(
    (input, key) => {
      const cursor = getCursor();
      const picked = getPicked();
      if (item.type === "free") {
        if (!isRevealed()) {
          if (input === " " || key.return) {
            setRevealed(true);
            onReveal?.();
          }
          return;
        }
        if (item.keyPoints.length === 0) {
          if (input === "y" || input === "n") submit({ kind: "answer", answer: input === "y" ? 1 : 0 });
          return;
        }
        const d = digit(input);
        if (d !== undefined) {
          if (d < item.keyPoints.length) setPicked(picked.includes(d) ? picked.filter((p) => p !== d) : [...picked, d]);
          return;
        }
        if (key.return) submit({ kind: "answer", answer: [...picked].sort((a, b) => a - b) });
        return;
      }
      if (item.type === "ordering") {
        const d = digit(input);
        if (d !== undefined) {
          if (d < options.length && !picked.includes(d)) setPicked([...picked, d]);
          return;
        }
        if (key.backspace || key.delete) {
          setPicked(picked.slice(0, -1));
          return;
        }
        if (key.return && picked.length === options.length) {
          const perm = stepPermutation(item.steps.length, item.id, seed);
          submit({ kind: "answer", answer: picked.map((i) => perm[i]!) });
        }
        return;
      }
      if (key.upArrow) {
        setCursor((c) => (c + options.length - 1) % options.length);
        return;
      }
      if (key.downArrow) {
        setCursor((c) => (c + 1) % options.length);
        return;
      }
      if (item.type === "truefalse" && (input === "t" || input === "f")) {
        submit({ kind: "answer", answer: input === "t" });
        return;
      }
      const d = item.type === "truefalse" ? digit(input) : choiceKey(input);
      if (item.type === "multiple") {
        const toggle = d !== undefined ? d : input === " " ? cursor : undefined;
        if (toggle !== undefined) {
          if (toggle < options.length) setPicked(picked.includes(toggle) ? picked.filter((p) => p !== toggle) : [...picked, toggle]);
          return;
        }
        if (key.return && picked.length > 0) submit({ kind: "answer", answer: [...picked].sort((a, b) => a - b) });
        return;
      }
      const choose = (i: number) => submit({ kind: "answer", answer: item.type === "truefalse" ? i === 0 : i });
      if (d !== undefined) {
        if (d < options.length) choose(d);
        return;
      }
      if (key.return) choose(cursor);
    },
    { isActive: active },
  );

  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>
        {topicTitle(item.concept)} · {item.difficulty}
        {item.type === "multiple" ? " · select all that apply" : item.type === "ordering" ? " · put the steps in order" : ""}
      </Text>
      <Box marginTop={1}>
        <Text bold>{plain(item.prompt)}</Text>
      </Box>
      <Box marginTop={1} flexDirection="column">
        {item.type === "ordering"
          ? options.map((o, i) => (
              <Text key={i} color={picked.includes(i) ? theme.muted : undefined}>
                {"  "}
                {i + 1}. {o}
              </Text>
            ))
          : options.map((o, i) => (
              <MenuLine key={i} selected={i === cursor && active} {...(item.type === "truefalse" ? { index: i + 1 } : { label: letter(i) })} text={item.type === "multiple" ? `[${picked.includes(i) ? "x" : " "}] ${o}` : o} />
            ))}
        {item.type === "ordering" ? (
          <Box marginTop={1}>
            <Text>Your order: {picked.length > 0 ? picked.map((i) => i + 1).join(" → ") : "(press the step numbers in order)"}</Text>
          </Box>
        ) : null}
        {item.type === "free" && !revealed ? <Text color={theme.muted}>Answer out loud or on paper, then press space to compare.</Text> : null}
        {item.type === "free" && revealed ? (
          <Box flexDirection="column">
            <Text bold>Reference answer:</Text>
            <Text>{item.reference}</Text>
            {item.keyPoints.length > 0 ? (
              <>
                <Text bold>Key points — press their numbers to mark the ones you covered, then enter:</Text>
                {item.keyPoints.map((k, i) => (
                  <Text key={i} color={picked.includes(i) ? theme.good : undefined}>
                    {"  "}[{picked.includes(i) ? "x" : " "}] {i + 1}. {k}
                  </Text>
                ))}
              </>
            ) : (
              <Box marginTop={1}>
                <Text>Did you have it? y / n</Text>
              </Box>
            )}
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
