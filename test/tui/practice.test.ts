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

const only = (...ids: string[]) => ({ items: ITEMS.filter((i) => ids.includes(i.id)) });

describe("Practice", () => {
  it("lists the concepts with their question counts", async () => {
    h = mount({ initial: "practice" });
    await h.press();
    expect(h.screen()).toContain("❯ 1. Delta Lake");
    expect(h.screen()).toContain("3 questions · new");
    expect(h.screen()).toContain("2. Structured Streaming + CDC");
    expect(h.screen()).toMatch(/enter\/1-9 start/);
  });

  it("a right answer (number key) shows Correct, the explanation and the docs link", async () => {
    h = mount({ initial: "practice", data: only("delta-log") });
    await h.press("1");
    expect(h.screen()).toContain("Where does Delta Lake record its commits?");
    expect(h.screen()).toContain("❯ A. In the Hive metastore");
    expect(h.screen()).toContain("  B. In the _delta_log folder");
    expect(h.screen()).toMatch(/1-9\/a-i choose/);
    await h.press("2");
    const s = await h.waitFor("Correct");
    expect(s).toContain("Every commit is a numbered JSON file in _delta_log.");
    expect(s).toContain("Docs: https://docs.databricks.com/lakehouse/acid");
    expect(s).toMatch(/enter\/n finish/);
    expect(h.deps.store.data.answers["delta-log"]).toMatchObject([{ correct: true, source: "practice", answer: 1 }]);
    await h.press(KEY.enter);
    expect(await h.waitFor("Round over")).toContain("1 / 1 correct");
  });

  it("a wrong answer (arrows + enter) shows Not quite and the right answer", async () => {
    h = mount({ initial: "practice", data: only("delta-log") });
    await h.press(KEY.enter, KEY.down, KEY.down, KEY.enter);
    const s = await h.waitFor("Not quite");
    expect(s).toContain("Answer: B. In the _delta_log folder");
    expect(h.deps.store.data.answers["delta-log"]?.[0]?.correct).toBe(false);
  });

  it("a letter key answers too", async () => {
    h = mount({ initial: "practice", data: only("delta-log") });
    await h.press("1", "b");
    await h.waitFor("Correct");
  });

  it("multiple choice toggles with numbers and gives partial credit", async () => {
    h = mount({ initial: "practice", data: only("delta-features") });
    await h.press("1", "1", "c", "c");
    expect(h.screen()).toContain("[x] Deletion vectors");
    await h.press(KEY.enter);
    expect(await h.waitFor("Not quite (50% credit)")).toContain("1 of 2 right");
  });

  it("true/false answers with t and f", async () => {
    h = mount({ initial: "practice", data: only("delta-vacuum") });
    await h.press("1", "f");
    await h.waitFor("Correct");
  });

  it("ordering: number keys in order, backspace undoes, enter answers", async () => {
    h = mount({ initial: "practice", data: only("streaming-order") });
    await h.press("1");
    const s = h.screen();
    // Steps are shown shuffled; find the position of each step on screen.
    const pos = (step: string) => new RegExp(`(\\d)\\. ${step}`).exec(s)![1]!;
    const right = ["Read new offsets", "Process the batch", "Commit the offsets"].map(pos);
    await h.press(right[1]!, KEY.backspace);
    expect(h.screen()).toContain("(press the step numbers in order)");
    await h.press(...right);
    expect(h.screen()).toContain(`Your order: ${right.join(" → ")}`);
    await h.press(KEY.enter);
    await h.waitFor("Correct");
  });

  it("free response: space reveals the reference, number keys mark the key points covered", async () => {
    h = mount({ initial: "practice", data: only("streaming-free") });
    await h.press("1");
    expect(h.screen()).toMatch(/space show the reference answer/);
    await h.press(" ");
    expect(h.screen()).toContain("A checkpoint stores offsets and state");
    expect(h.screen()).toMatch(/1-9 mark a key point you covered\s+enter record/);
    await h.press("2");
    expect(h.screen()).toContain("[x] 2. state");
    expect(h.screen()).toContain("[ ] 1. offsets");
    await h.press(KEY.enter);
    expect(await h.waitFor("Not quite (50% credit)")).toContain("You covered 1 of 2 key points.");
    expect(h.deps.store.data.answers["streaming-free"]?.[0]).toMatchObject({ correct: false, score: 0.5, answer: [1] });
  });
});

describe("Practice with the real item grader", () => {
  it("shows the grader's feedback once, without repeating the verdict or the explanation", async () => {
    const { gradeItem } = await import("../../src/learn/grade/index.js");
    const { fakeGraders } = await import("./fixtures.js");
    h = mount({ initial: "practice", data: only("delta-log", "delta-vacuum"), deps: { graders: { ...fakeGraders, gradeItem } } });
    await h.press("1");
    const first = h.screen().includes("Where does Delta Lake") ? "single" : "truefalse";
    await h.press(first === "single" ? "a" : "t");
    const s = await h.waitFor("Not quite");
    expect(s).toMatch(first === "single" ? /The answer is B\. In the _delta_log folder\./ : /The statement is false\./);
    expect(s.match(/Not quite/g)).toHaveLength(1);
    const explanation = first === "single" ? "Every commit is a numbered JSON file" : "VACUUM removes data files";
    expect(s.split(explanation)).toHaveLength(2);
    await h.press(KEY.enter, first === "single" ? "t" : "b");
    const s2 = await h.waitFor(/✗ Not quite|✓ Correct/);
    if (first === "single") expect(s2).toContain("✗ Not quite");
    else expect(s2).toContain("✓ Correct");
    expect(s2).not.toMatch(/^Correct\.$/m);
  });
});
