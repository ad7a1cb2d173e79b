import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { removeDir } from "./fixtures.js";
import { KEY, mount, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(() => {
  cleanup();
  if (h) removeDir(h.dir);
  h = undefined;
});

describe("Home", () => {
  it("shows the menu and a footer with its keys", async () => {
    h = mount();
    await h.press();
    const s = h.screen();
    for (const label of ["Practice by concept", "Mock interview", "Flashcards", "Exercises", "Stats", "Quit"]) expect(s).toContain(label);
    expect(s).toContain("❯ 1. Practice by concept");
    expect(s).toMatch(/↑↓ move\s+enter\/1-6 select\s+q quit/);
    expect(s).toContain("5 questions");
    expect(s).toContain("0/2 passed");
  });

  it("moves with the arrows and opens a screen with enter or a number", async () => {
    h = mount();
    await h.press(KEY.down, KEY.down);
    expect(h.screen()).toContain("❯ 3. Flashcards");
    await h.press(KEY.enter);
    expect(h.screen()).toContain("c360-quiz · Flashcards");
    await h.press("q");
    expect(h.screen()).toContain("Practice by concept");
    await h.press("5");
    expect(h.screen()).toContain("c360-quiz · Stats");
  });

  it("shows recovery notices from the progress store", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tempDir } = await import("./fixtures.js");
    const dir = tempDir();
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "progress.json"), "{not json");
    h = mount({ dir });
    await h.press();
    expect(h.screen()).toMatch(/could not be read/);
    expect(h.screen()).toContain("progress.json.bak-");
  });
});
