/** Starting the TUI on the real terminal (only ever called when stdin is a TTY). */
import { render } from "ink";
import { FlashcardScheduler } from "../learn/fsrs/scheduler.js";
import type { ProgressStore } from "../learn/progress/store.js";
import { seededRng } from "../learn/session/random.js";
import type { Graders, LearnData } from "../learn/session/sources.js";
import { DEFAULT_WORKDIR } from "../learn/session/workspace.js";
import { App } from "./app.js";
import type { TuiDeps } from "./context.js";
import { makeTheme } from "./theme.js";
import { LearnError } from "../learn/errors.js";

export interface TuiOptions {
  data: LearnData;
  graders: Graders;
  store: ProgressStore;
  scheduler?: FlashcardScheduler;
  workdir?: string;
  now?: () => Date;
  seed?: number;
  practiceCount?: number;
  mockCount?: number;
  mockMinutes?: number;
  color?: boolean;
  watch?: boolean;
}

export function makeDeps(o: TuiOptions): TuiDeps {
  const now = o.now ?? (() => new Date());
  return {
    data: o.data,
    graders: o.graders,
    store: o.store,
    scheduler: o.scheduler ?? new FlashcardScheduler({ now }),
    workdir: o.workdir ?? DEFAULT_WORKDIR,
    now,
    rng: seededRng(o.seed ?? Date.now()),
    theme: makeTheme(o.color),
    practiceCount: o.practiceCount ?? 10,
    mock: { count: o.mockCount ?? 10, minutes: o.mockMinutes ?? 15 },
    watch: o.watch ?? true,
    debounceMs: 250,
    tickMs: 1000,
  };
}

export async function runTui(o: TuiOptions): Promise<void> {
  if (!process.stdin.isTTY) throw new LearnError("NOT_A_TERMINAL", "the interactive mode needs a terminal (stdin is not a TTY); see c360-quiz --help");
  const instance = render(<App deps={makeDeps(o)} />, { exitOnCtrlC: true });
  await instance.waitUntilExit();
}
