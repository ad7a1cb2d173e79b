/** Grading a QuestionResult and showing the verdict (shared by Practice and Mock interview). */
import { Box, Text } from "ink";
import { describeCorrect, feedbackBody } from "../learn/session/present.js";
import type { Graders } from "../learn/session/sources.js";
import type { ItemGrade, QuizItem } from "../learn/types.js";
import { useDeps } from "./context.js";
import type { QuestionResult } from "./question.js";

export async function gradeResult(graders: Graders, item: QuizItem, r: QuestionResult): Promise<ItemGrade> {
  try {
    return await graders.gradeItem(item, r.answer);
  } catch (e) {
    return { correct: false, score: 0, feedback: `grader error: ${(e as Error).message.split("\n")[0]}` };
  }
}

export function Verdict({ item, grade }: { item: QuizItem; grade: ItemGrade }) {
  const { theme } = useDeps();
  const partial = !grade.correct && grade.score > 0;
  const feedback = feedbackBody(grade.feedback ?? "");
  const expected = item.type === "free" ? "" : describeCorrect(item);
  const showExpected = !grade.correct && expected !== "" && !feedback.includes(expected.split("\n")[0]!.slice(0, 40));
  const showExplanation = !feedback.includes(item.explanation.trim().slice(0, 60));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color={grade.correct ? theme.good : theme.bad}>
        {grade.correct ? "✓ Correct" : partial ? `✗ Not quite (${Math.round(grade.score * 100)}% credit)` : "✗ Not quite"}
      </Text>
      {feedback ? <Text>{feedback}</Text> : null}
      {showExpected ? <Text>Answer: {expected}</Text> : null}
      {showExplanation ? (
        <Box marginTop={1}>
          <Text>{item.explanation}</Text>
        </Box>
      ) : null}
      {item.docs.map((d) => (
        <Text key={d} color={theme.accent}>
          Docs: {d}
        </Text>
      ))}
    </Box>
  );
}
