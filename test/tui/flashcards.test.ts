import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { removeDir } from "./fixtures.js";
import { mount, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(() => {
  cleanup();
  if (h) removeDir(h.dir);
  h = undefined;
});

describe("Flashcards", () => {
  it("shows the front, flips with space, rates with 1-4", async () => {
    h = mount({ initial: "flashcards" });
    await h.press();
    let s = h.screen();
    expect(s).toContain("What is in _delta_log?");
    expect(s).not.toContain("Numbered JSON commits");
    expect(s).toContain("due 0 · new 3 (0/20 today)");
    expect(s).toMatch(/space flip\s+q back/);
    await h.press(" ");
    s = h.screen();
    expect(s).toContain("Numbered JSON commits and checkpoints.");
    expect(s).toMatch(/1 again\s+2 hard\s+3 good\s+4 easy/);
    expect(s).toContain("1 again (1m)   2 hard (6m)   3 good (10m)");
    await h.press("3");
    s = await h.waitFor("Default VACUUM retention?");
    expect(s).toContain("(1/20 today)");
    expect(h.deps.store.data.cards["fc-log"]).toMatchObject({ state: 1, reps: 1 });
    expect(h.deps.store.data.daily.newCards).toBe(1);
  });

  it("stops at the daily new-card limit", async () => {
    h = mount({ initial: "flashcards", scheduler: { newPerDay: 1 } });
    await h.press(" ", "4");
    const s = await h.waitFor("Daily limit reached");
    expect(s).toContain("1 new cards a day. 2 new cards wait for tomorrow.");
    expect(s).toContain("Done for now: 1 card reviewed.");
  });

  it("announces a leech and suspends it", async () => {
    h = mount({ initial: "flashcards", data: { flashcards: [{ id: "fc-log", concept: "delta", front: "What is in _delta_log?", back: "JSON commits.", source: "guide" }] } });
    h.deps.store.setCard("fc-log", { due: "2026-03-01T00:00:00.000Z", stability: 2, difficulty: 8, elapsedDays: 3, scheduledDays: 3, learningSteps: 0, reps: 20, lapses: 7, state: 2, lastReview: "2026-02-26T00:00:00.000Z" });
    await h.press(" ");
    expect(h.screen()).toContain("seen 20×, 7 lapses");
    await h.press("1");
    const s = await h.waitFor("Leech");
    expect(s).toContain('Leech: "What is in _delta_log?" has lapsed 8 times and is now suspended.');
    expect(s).toContain("1 leech suspended");
    expect(s).toContain("Done for now: 1 card reviewed.");
    expect(h.deps.store.data.cards["fc-log"]).toMatchObject({ lapses: 8, leech: true, suspended: true });
  });
});
