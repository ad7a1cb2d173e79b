/**
 * The interview guide parser on the real guide/INTERVIEW_GUIDE.md and on small documents, and the
 * flashcards built from guide entries and quiz items.
 */
import { describe, expect, test } from "vitest";
import { bankFlashcards, guideFlashcards, GuideParseError, loadGuide, markdownLinks, parseGuide } from "../../src/learn/guide/parse.js";
import { loadBank } from "../../src/learn/bank/load.js";
import { CONCEPTS, type QuizItem } from "../../src/learn/types.js";

describe("the real guide", () => {
  const entries = loadGuide();

  test("has at least 64 entries with unique ids", () => {
    expect(entries.length).toBeGreaterThanOrEqual(64);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  test("every entry has every part", () => {
    for (const e of entries) {
      expect(e.question, e.id).toMatch(/\S/);
      expect(e.exam, e.id).toMatch(/^DE (Associate|Professional) — /);
      for (const part of [e.sayIt, e.deeper, e.followUps, e.mistakes, e.seeItRun]) expect(part.trim().length, e.id).toBeGreaterThan(0);
      expect(e.docs.length, e.id).toBeGreaterThan(0);
      for (const d of e.docs) expect(d, e.id).toMatch(/^https:\/\//);
      expect(e.deeper, e.id).not.toMatch(/^\*\*(Follow-ups|Common mistakes|Docs):\*\*/m);
    }
  });

  test("covers every concept and keeps code blocks inside parts", () => {
    for (const c of CONCEPTS) expect(entries.some((e) => e.concept === c), c).toBe(true);
    expect(entries.some((e) => e.concept === "cross-cutting")).toBe(true);
    const tt = entries.find((e) => e.id === "delta-time-travel")!;
    expect(tt.question).toBe("How does Delta time travel work, how far back can you go, and how do you undo a bad write?");
    expect(tt.difficulty).toBe("medium");
    expect(tt.deeper).toContain("```sql\nSELECT * FROM main.silver.orders VERSION AS OF 42;");
    expect(tt.sayIt).toMatch(/^Every commit creates a new table version/);
  });
});

const doc = (body: string) => `# Guide\n\nIntro text.\n\n## Delta\n\n${body}`;
const entry = (id: string, extra = "") => `### What is ${id}?
<!-- id: ${id} | concept: delta | difficulty: easy | exam: DE Associate — Databricks Intelligence Platform -->
**Say it in 30 seconds:** Short answer for ${id}.

**Deeper:**
- point one

\`\`\`python
### not a heading
**Docs:** not a label either
\`\`\`
${extra}
**Follow-ups:**
- why?

**Common mistakes:**
- this one.

**Docs:** [Page one](https://docs.databricks.com/one) · [Page two](https://docs.databricks.com/two)

**See it run:** [notebook](../notebooks/01.ipynb)
`;

describe("parseGuide", () => {
  test("parses parts, code blocks and links", () => {
    const [e] = parseGuide(doc(entry("alpha")));
    expect(e).toMatchObject({ id: "alpha", concept: "delta", difficulty: "easy", exam: "DE Associate — Databricks Intelligence Platform", question: "What is alpha?", sayIt: "Short answer for alpha.", followUps: "- why?", mistakes: "- this one.", docs: ["https://docs.databricks.com/one", "https://docs.databricks.com/two"], seeItRun: "[notebook](../notebooks/01.ipynb)" });
    expect(e!.deeper).toContain("### not a heading");
    expect(e!.deeper).toContain("**Docs:** not a label either");
  });

  test("strict mode reports missing parts, bad tags and duplicate ids with line numbers", () => {
    const broken = doc(`${entry("alpha")}\n${entry("alpha")}\n### No tag here?\n**Say it in 30 seconds:** x\n`).replace("**Common mistakes:**\n- this one.\n\n**Docs:** [Page one](https://docs.databricks.com/one) · [Page two](https://docs.databricks.com/two)", "**Docs:** [Page one](https://docs.databricks.com/one)");
    let err: unknown;
    try {
      parseGuide(broken);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuideParseError);
    const msg = (err as GuideParseError).message;
    expect(msg).toMatch(/line \d+: "What is alpha\?" has no "\*\*Common mistakes:\*\*" part/);
    expect(msg).toMatch(/duplicate id "alpha" \(first used on line 8\)/);
    expect(msg).toMatch(/"No tag here\?" has no "<!-- id: … \| concept: … \| difficulty: … \| exam: … -->" line/);
  });

  test("unknown concepts and difficulties are rejected; non-strict mode skips them", () => {
    const bad = doc(entry("beta").replace("concept: delta", "concept: nosql").replace("difficulty: easy", "difficulty: trivial"));
    expect(() => parseGuide(bad)).toThrow(/concept "nosql" is not one of/);
    expect(parseGuide(bad, { strict: false })).toEqual([]);
    const partial = parseGuide(doc("### Just a question?\n<!-- id: gamma | concept: jobs | difficulty: hard | exam: X -->\n**Say it in 30 seconds:** y\n"), { strict: false });
    expect(partial).toMatchObject([{ id: "gamma", concept: "jobs", sayIt: "y", deeper: "", docs: [] }]);
  });

  test("markdownLinks", () => {
    expect(markdownLinks("[a](https://x/1) · [b [c]](https://x/2 \"t\") · [d](<https://x/3>)")).toEqual(["https://x/1", "https://x/2", "https://x/3"]);
  });
});

describe("flashcards", () => {
  test("guide cards: the question on the front, the 30-second answer on the back", () => {
    const entries = loadGuide();
    const cards = guideFlashcards(entries);
    expect(cards).toHaveLength(entries.length);
    expect(cards[0]).toEqual({ id: entries[0]!.id, concept: entries[0]!.concept, front: entries[0]!.question, back: entries[0]!.sayIt, source: "guide" });
  });

  test("bank cards for every item type", () => {
    const b = { concept: "delta" as const, difficulty: "easy" as const, prompt: "Q?", explanation: "Why.", docs: ["https://docs.databricks.com/x"] };
    const items: QuizItem[] = [
      { ...b, id: "s", type: "single", choices: ["x", "y"], answer: 1 },
      { ...b, id: "m", type: "multiple", choices: ["x", "y", "z"], answers: [2, 0] },
      { ...b, id: "t", type: "truefalse", answer: true },
      { ...b, id: "o", type: "ordering", steps: ["b-step", "a-step", "c-step"] },
      { ...b, id: "f", type: "free", reference: "The reference.", keyPoints: ["k1", "k2"] },
    ];
    const [s, m, t, o, f] = bankFlashcards(items);
    expect(s).toEqual({ id: "s", concept: "delta", front: "Q?\n\nA. x\nB. y", back: "**Answer:** B. y\n\nWhy.", source: "bank" });
    expect(m!.back).toBe("**Answers:**\n- A. x\n- C. z\n\nWhy.");
    expect(t!.back).toBe("**True.**\n\nWhy.");
    expect(o!.front).toBe("Q?\n\n(Put in order: a-step; b-step; c-step)");
    expect(o!.back).toBe("**Order:**\n1. b-step\n2. a-step\n3. c-step\n\nWhy.");
    expect(f!.back).toBe("The reference.\n\n**Key points:**\n- k1\n- k2\n\nWhy.");
  });

  test("guide and bank cards together have unique ids", () => {
    const all = [...guideFlashcards(loadGuide()), ...bankFlashcards(loadBank().items)];
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
  });
});
