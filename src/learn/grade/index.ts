/**
 * Grading: quiz answers (gradeItem), SQL exercises on the lakehouse (gradeSql) and TypeScript
 * exercises in a sandboxed child process (gradeTs). gradeExercise picks the right one.
 */
import type { Exercise, ExerciseResult } from "../types.js";
import { gradeSql, type SqlGradeOptions } from "./sql.js";
import { gradeTs, type TsGradeOptions } from "./ts.js";

export { gradeItem, AnswerShapeError, FREE_PASS_SCORE, longestIncreasingSubsequence, likelyCoveredKeyPoints, type FreeResponseGrade, type FreeResponseReveal } from "./item.js";
export { gradeSql, runSqlScript, referenceResults, errorText, ExerciseDefinitionError, DEFAULT_SQL_TIMEOUT_MS, type SqlGradeOptions } from "./sql.js";
export { gradeTs, permissionFlag, declaredTestNames, DEFAULT_TS_TIMEOUT_MS, DEFAULT_TS_MEMORY_MB, type TsGradeOptions } from "./ts.js";
export { compareResults, type ResultSet, type ResultColumn, type CompareOptions } from "./compare.js";

export type GradeOptions = SqlGradeOptions & TsGradeOptions;

/** Grades a learner's SQL or TypeScript for either kind of exercise. */
export function gradeExercise(exercise: Exercise, learnerCode: string, opts: GradeOptions = {}): Promise<ExerciseResult> {
  return exercise.kind === "sql" ? gradeSql(exercise, learnerCode, opts) : gradeTs(exercise, learnerCode, opts);
}
