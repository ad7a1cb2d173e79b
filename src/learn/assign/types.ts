/**
 * Assignment and submission files. An assignment is self-contained for learners: statements,
 * starters and item prompts, never solutions, hidden tests, hidden setup or answer keys. The
 * instructor grades against the bank, which holds those.
 */
import type { Difficulty, QuizItem } from "../types.js";

export const ASSIGNMENT_FORMAT = "c360-assignment";
export const SUBMISSION_FORMAT = "c360-submission";

export interface LatePenalty {
  /** Fraction of the score lost per started day late (0.1 = 10%/day). */
  perDay: number;
  /** Cap on the total penalty (fraction, 1 = may reach zero). */
  max: number;
}

export interface ExerciseTask {
  kind: "exercise";
  id: string;
  points: number;
  language: "sql" | "ts";
  title: string;
  concept: string;
  difficulty: Difficulty;
  statement: string;
  starter: string;
  /** SQL exercises: the statements that build the tables the task uses (public, no hidden rows). */
  setup?: string;
  /** Hash of the public content, to detect a bank that changed since the assignment was made. */
  fingerprint: string;
}

export interface ItemTask {
  kind: "item";
  id: string;
  points: number;
  type: QuizItem["type"];
  concept: string;
  difficulty: Difficulty;
  prompt: string;
  choices?: string[];
  /** Ordering items: steps shuffled with the assignment seed. */
  steps?: string[];
  answerFormat: string;
  fingerprint: string;
}

export type Task = ExerciseTask | ItemTask;

export interface AssignmentFile {
  format: typeof ASSIGNMENT_FORMAT;
  version: 1;
  id: string;
  title: string;
  createdAt: string;
  /** ISO-8601 deadline. */
  due: string;
  latePenalty: LatePenalty | null;
  /** Seed of the ordering-step shuffles (the grader re-derives the same order). */
  seed: string;
  totalPoints: number;
  tasks: Task[];
}

export interface SubmissionFile {
  format: typeof SUBMISSION_FORMAT;
  version: 1;
  assignmentId: string;
  assignmentTitle: string;
  learner: string;
  submittedAt: string;
  /** Item id → the answer as typed in answers.yaml (letters, true/false, text). */
  answers: Record<string, string>;
  /** Exercise id → the learner's code. */
  code: Record<string, string>;
  tool: string;
}

export interface TaskGrade {
  id: string;
  kind: "exercise" | "item";
  points: number;
  earned: number;
  /** One line per lost point (or part of a point): why it was lost. */
  lost: string[];
  /** Grader messages (exercise checks, item feedback). */
  messages: string[];
}

export interface LearnerGrade {
  learner: string;
  file: string;
  status: "graded" | "error";
  error?: string;
  submittedAt?: string;
  daysLate: number;
  /** Fraction removed for lateness (0..1). */
  penalty: number;
  raw: number;
  final: number;
  max: number;
  tasks: TaskGrade[];
  /** Name of the feedback file under feedback/. */
  feedback: string;
  warnings: string[];
}

export interface Gradebook {
  assignment: { id: string; title: string; due: string; totalPoints: number; latePenalty: LatePenalty | null };
  gradedAt: string;
  learners: LearnerGrade[];
}
