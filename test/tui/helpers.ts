/** Rendering TUI screens on ink-testing-library with fixture data and an injectable clock. */
import { join } from "node:path";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { App } from "../../src/tui/app.js";
import type { ScreenName, TuiDeps } from "../../src/tui/context.js";
import { makeTheme } from "../../src/tui/theme.js";
import { FlashcardScheduler, type SchedulerOptions } from "../../src/learn/fsrs/scheduler.js";
import { ProgressStore } from "../../src/learn/progress/store.js";
import { seededRng } from "../../src/learn/session/random.js";
import type { LearnData } from "../../src/learn/session/sources.js";
import { delay, fakeGraders, fixtureData, stripAnsi, tempDir } from "./fixtures.js";

export const KEY = { up: "\u001B[A", down: "\u001B[B", enter: "\r", escape: "\u001B", backspace: "\b", space: " " };

export interface Harness {
  dir: string;
  deps: TuiDeps;
  clock: { t: number };
  ui: ReturnType<typeof render>;
  /** Last non-empty frame without ANSI codes. */
  screen(): string;
  /** Every frame so far, ANSI stripped, joined. */
  all(): string;
  press(...keys: string[]): Promise<void>;
  waitFor(text: string | RegExp, ms?: number): Promise<string>;
}

export function mount(opts: { data?: Partial<LearnData>; initial?: ScreenName; scheduler?: SchedulerOptions; mock?: { count: number; minutes: number }; deps?: Partial<TuiDeps>; dir?: string } = {}): Harness {
  const dir = opts.dir ?? tempDir();
  const clock = { t: Date.parse("2026-03-02T12:00:00Z") };
  const now = () => new Date(clock.t);
  const store = ProgressStore.open({ dataDir: join(dir, "data"), now });
  const data = { ...fixtureData(), ...opts.data };
  const deps: TuiDeps = {
    data,
    graders: fakeGraders,
    store,
    scheduler: new FlashcardScheduler({ now, dayStartHour: 0, ...opts.scheduler }),
    workdir: join(dir, "work"),
    now,
    rng: seededRng(7),
    theme: makeTheme(false),
    practiceCount: 10,
    mock: opts.mock ?? { count: 3, minutes: 15 },
    watch: true,
    debounceMs: 30,
    tickMs: 20,
    ...opts.deps,
  };
  const ui = render(createElement(App, { deps, ...(opts.initial ? { initial: opts.initial } : {}) }));
  const frames = () => ui.frames.map((f) => stripAnsi(f));
  const screen = () => frames().filter((f) => f.trim() !== "").at(-1) ?? "";
  return {
    dir,
    deps,
    clock,
    ui,
    screen,
    all: () => frames().join("\n"),
    /** Types keys one at a time, each after the previous one has been rendered (or 300 ms). */
    async press(...keys: string[]) {
      for (const k of keys) {
        const before = ui.frames.length;
        ui.stdin.write(k);
        const t0 = Date.now();
        while (ui.frames.length === before && Date.now() - t0 < 300) await delay(5);
        await delay(20); // let effects (input subscriptions of new components) run
      }
    },
    async waitFor(text: string | RegExp, ms = 3000) {
      const t0 = Date.now();
      for (;;) {
        const s = screen();
        if (typeof text === "string" ? s.includes(text) : text.test(s)) return s;
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${String(text)}; screen was:\n${s}`);
        await delay(20);
      }
    },
  };
}
