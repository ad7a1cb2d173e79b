/**
 * The contract between the learning-side modules: the question bank and exercises (quizzes/),
 * the interview guide (guide/), grading, scheduling and progress. Loaders, graders, the TUI,
 * the CLI and the site all speak these types.
 */

/** The 16 concepts of the lab, in lesson order, plus cross-cutting topics. */
export const CONCEPTS = [
  "delta", "auto-loader", "streaming", "pipelines", "expectations", "jobs", "performance", "unity-catalog",
  "bundles", "connect", "sharing", "federation", "dbsql", "governance", "mlflow", "feature-store",
] as const;
export type Concept = (typeof CONCEPTS)[number];
export type Topic = Concept | "cross-cutting";

export const CONCEPT_TITLES: Record<Concept, string> = {
  delta: "Delta Lake", "auto-loader": "Auto Loader", streaming: "Structured Streaming + CDC",
  pipelines: "Declarative pipelines (Lakeflow / DLT)", expectations: "Expectations (data quality)",
  jobs: "Workflows / Lakeflow Jobs", performance: "Performance (OPTIMIZE, Z-ORDER, liquid clustering, caching, Photon)",
  "unity-catalog": "Unity Catalog", bundles: "Asset Bundles", connect: "Databricks Connect", sharing: "Delta Sharing",
  federation: "Lakehouse Federation", dbsql: "Databricks SQL", governance: "Governance (PII, GDPR, CCPA)",
  mlflow: "MLflow", "feature-store": "Feature Store",
};

export type Difficulty = "easy" | "medium" | "hard";

interface ItemBase {
  /** Stable id, kebab-case, unique across the bank (progress is keyed by it). */
  id: string;
  concept: Topic;
  difficulty: Difficulty;
  /** Exam section it serves, e.g. "DE Associate — Data Processing & Transformations". */
  exam?: string;
  prompt: string;
  /** Why the answer is right: shown after answering. */
  explanation: string;
  /** Official docs page(s) backing the answer. */
  docs: string[];
  tags?: string[];
}

export interface SingleChoiceItem extends ItemBase { type: "single"; choices: string[]; answer: number }
export interface MultipleChoiceItem extends ItemBase { type: "multiple"; choices: string[]; answers: number[] }
export interface TrueFalseItem extends ItemBase { type: "truefalse"; answer: boolean }
export interface OrderingItem extends ItemBase { type: "ordering"; steps: string[] /* in the correct order; shown shuffled */ }
export interface FreeResponseItem extends ItemBase { type: "free"; reference: string; keyPoints: string[] }
export type QuizItem = SingleChoiceItem | MultipleChoiceItem | TrueFalseItem | OrderingItem | FreeResponseItem;

/** An answer as a learner gives it: choice index(es), boolean, order of step indexes, or text. */
export type Answer = number | number[] | boolean | string;

export interface ItemGrade {
  correct: boolean;
  /** 0..1 (partial credit for multiple choice / ordering; self-assessed for free response). */
  score: number;
  feedback: string;
}

export interface SqlExercise {
  kind: "sql";
  id: string;
  concept: Concept;
  difficulty: Difficulty;
  title: string;
  /** Markdown task statement. */
  statement: string;
  /** SQL run before grading to build the tables the task uses (Databricks SQL on the lakehouse). */
  setup: string;
  /** Extra rows added for a second, hidden run so that a hard-coded answer fails. */
  hiddenSetup: string;
  starter: string;
  solution: string;
  /** Compare rows in order (ORDER BY matters) or as a multiset. */
  ordered: boolean;
  hints: string[];
}

export interface TsExercise {
  kind: "ts";
  id: string;
  concept: Concept;
  difficulty: Difficulty;
  title: string;
  statement: string;
  /** Starter file the learner edits (TypeScript, exports what the tests import). */
  starter: string;
  /** Hidden tests: a TypeScript module run against the learner's file (see grade docs). */
  tests: string;
  solution: string;
  hints: string[];
}

export type Exercise = SqlExercise | TsExercise;

export interface ExerciseResult {
  passed: boolean;
  /** 0..1 */
  score: number;
  /** One line per check, e.g. "wrong number of rows: expected 5, got 4". */
  messages: string[];
  durationMs: number;
}

/** One Q&A of guide/INTERVIEW_GUIDE.md. */
export interface GuideEntry {
  id: string;
  concept: Topic;
  difficulty: Difficulty;
  exam: string;
  question: string;
  /** Markdown of each bold-labelled part. */
  sayIt: string;
  deeper: string;
  followUps: string;
  mistakes: string;
  docs: string[];
  seeItRun: string;
}

export interface Flashcard {
  id: string;
  concept: Topic;
  front: string;
  back: string;
  source: "guide" | "bank";
}
