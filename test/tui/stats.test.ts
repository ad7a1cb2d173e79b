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

describe("Stats", () => {
  it("shows accuracy by concept, flashcards, exercises and mocks", async () => {
    h = mount();
    const st = h.deps.store;
    st.recordAnswer("delta-log", { correct: false, score: 0, source: "practice" });
    st.recordAnswer("delta-log", { correct: true, score: 1, source: "practice" });
    st.recordAnswer("streaming-order", { correct: true, score: 1, source: "mock" });
    st.exerciseChecked("sql-count", { passed: true, score: 1 });
    await h.press("5");
    const s = h.screen();
    expect(s).toContain("Answered 2 of 5 questions (3 attempts) · accuracy 67%");
    expect(s).toMatch(/1\/3\s+50%\s+Delta Lake/);
    expect(s).toMatch(/1\/2\s+100%\s+Structured Streaming \+ CDC/);
    expect(s).toContain("Flashcards: 0 due · 3 new (20 left today) · 0 leeches");
    expect(s).toContain("Exercises: 1/2 passed · 1 started");
    expect(s).toContain("Mock interviews: 0");
    expect(s).toMatch(/q back/);
  });
});
