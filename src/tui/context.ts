/** What every screen needs, provided once by the App (and built from fixtures in tests). */
import { createContext, useContext } from "react";
import type { FlashcardScheduler } from "../learn/fsrs/scheduler.js";
import type { ProgressStore } from "../learn/progress/store.js";
import type { Rng } from "../learn/session/random.js";
import type { Graders, LearnData } from "../learn/session/sources.js";
import type { Theme } from "./theme.js";

export interface TuiDeps {
  data: LearnData;
  graders: Graders;
  store: ProgressStore;
  scheduler: FlashcardScheduler;
  /** Root of the learner's exercise files (default ./c360-exercises). */
  workdir: string;
  now: () => Date;
  rng: Rng;
  theme: Theme;
  practiceCount: number;
  mock: { count: number; minutes: number };
  /** Re-grade exercises when their file is saved (fs.watch). */
  watch: boolean;
  debounceMs: number;
  /** Countdown refresh period of the mock interview. */
  tickMs: number;
}

export const DepsContext = createContext<TuiDeps | null>(null);

export function useDeps(): TuiDeps {
  const d = useContext(DepsContext);
  if (!d) throw new Error("TUI screens must be rendered inside <DepsContext.Provider>");
  return d;
}

export type ScreenName = "home" | "practice" | "mock" | "flashcards" | "exercises" | "stats";
