import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { ITEMS, removeDir } from "./fixtures.js";
import { KEY, mount, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(() => {
  cleanup();
  if (h) removeDir(h.dir);
  h = undefined;
});

describe("Mock interview", () => {
  it("introduces the format, counts down, and reports by concept at the end", async () => {
    h = mount({ initial: "mock", data: { items: ITEMS.filter((i) => i.id === "delta-vacuum") }, mock: { count: 1, minutes: 15 } });
    await h.press();
    expect(h.screen()).toContain("1 mixed questions, 15 minutes");
    expect(h.screen()).toMatch(/enter start\s+q back/);
    await h.press(KEY.enter);
    expect(h.screen()).toContain("⏱ 15:00 left");
    expect(h.screen()).toContain("question 1/1");
    expect(h.screen()).toMatch(/s skip\s+esc finish now/);
    h.clock.t += 61_000;
    await h.waitFor("⏱ 13:59 left");
    await h.press("f");
    const s = await h.waitFor("Score:");
    expect(s).toContain("Score: 1 / 1 (100%)");
    expect(s).toContain("By concept");
    expect(s).toContain("1/1 Delta Lake");
    expect(s).toContain("All correct!");
    expect(h.deps.store.data.mocks).toHaveLength(1);
    expect(h.deps.store.data.mocks[0]).toMatchObject({ total: 1, correct: 1, timedOut: false, byConcept: { delta: { total: 1, correct: 1 } } });
    expect(h.deps.store.data.answers["delta-vacuum"]?.[0]?.source).toBe("mock");
  });

  it("stops when the time is up and counts unanswered questions as missed", async () => {
    h = mount({ initial: "mock", mock: { count: 3, minutes: 15 } });
    await h.press(KEY.enter);
    await h.waitFor("question 1/3");
    await h.press("s"); // skip the first question
    await h.waitFor("question 2/3");
    h.clock.t += 15 * 60_000 + 1000;
    const s = await h.waitFor("Time's up!");
    expect(s).toContain("Score: 0 / 3");
    expect(s).toContain("Review these");
    expect(h.deps.store.data.mocks[0]).toMatchObject({ timedOut: true, total: 3, answered: 0, elapsedSec: 900 });
  });

  it("mixes concepts", async () => {
    h = mount({ initial: "mock", mock: { count: 2, minutes: 15 } });
    await h.press(KEY.enter, KEY.escape);
    const s = await h.waitFor("Score:");
    expect(s).toContain("Delta Lake");
    expect(s).toContain("Structured Streaming + CDC");
  });
});
