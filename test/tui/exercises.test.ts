import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { EXERCISES, removeDir } from "./fixtures.js";
import { KEY, mount, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(() => {
  cleanup();
  if (h) removeDir(h.dir);
  h = undefined;
});

describe("Exercises", () => {
  it("lists exercises with their status and a progress bar", async () => {
    h = mount({ initial: "exercises" });
    h.deps.store.exerciseChecked("ts-add", { passed: true, score: 1 });
    await h.press(KEY.down, KEY.up);
    const s = h.screen();
    expect(s).toContain("1/2 passed");
    expect(s).toMatch(/❯ {3}new {2}Count customers per country/);
    expect(s).toContain("✓ passed  Add two numbers");
    expect(s).toMatch(/↑↓ move\s+enter open\s+q back/);
  });

  it("opens an exercise, grades it, re-grades on save, and has rustlings keys", async () => {
    h = mount({ initial: "exercises" });
    await h.press(KEY.enter);
    const file = join(h.dir, "work", "exercises", "sql-count", "sql-count.sql");
    expect(readFileSync(file, "utf8")).toBe(EXERCISES[0]!.starter);
    expect(existsSync(join(h.dir, "work", "exercises", "sql-count", "README.md"))).toBe(true);
    let s = await h.waitFor("Not passing yet");
    expect(s).toContain("Count the customers of each country.");
    expect(s).toContain(file);
    expect(s).toContain("wrong number of rows: expected 3, got 1");
    expect(s).toMatch(/h hint\s+n next\s+l list\s+x reset\s+c check\s+q quit/);

    // Watch mode: saving the file re-grades it.
    writeFileSync(file, "SELECT country, count(*) AS n FROM customers GROUP BY country;\n");
    s = await h.waitFor("All checks pass");
    expect(s).toContain("rows match (hidden data)");
    expect(h.deps.store.data.exercises["sql-count"]).toMatchObject({ status: "passed" });

    await h.press("h");
    expect(h.screen()).toContain("Hint 1/2: Use GROUP BY.");
    await h.press("h");
    expect(h.screen()).toContain("Hint 2/2: count(*) counts rows.");
    await h.press("h");
    expect(h.screen()).toContain("No more hints.");
    expect(h.deps.store.data.exercises["sql-count"]?.hintsShown).toBe(2);

    await h.press("x");
    s = await h.waitFor("Reset to the starter");
    expect(s).toMatch(/your version is saved at\s+\S*sql-count\.sql\.bak-/);
    expect(readFileSync(file, "utf8")).toBe(EXERCISES[0]!.starter);
    const backups = readdirSync(join(h.dir, "work", "exercises", "sql-count")).filter((f) => f.includes(".bak-"));
    expect(readFileSync(join(h.dir, "work", "exercises", "sql-count", backups[0]!), "utf8")).toContain("GROUP BY");
    await h.waitFor("Not passing yet");

    await h.press("n");
    s = await h.waitFor("Exercise · Add two numbers");
    expect(await h.waitFor("Not passing yet (50%)")).toContain("add(1, 2): expected 3, got 0");

    await h.press("l");
    s = h.screen();
    expect(s).toContain("✓ passed  Count customers per country");
    expect(s).toContain("• started  Add two numbers");
  });

  it("does not overwrite work when an exercise is opened again", async () => {
    h = mount({ initial: "exercises" });
    await h.press(KEY.down, KEY.enter);
    const file = join(h.dir, "work", "exercises", "ts-add", "ts-add.ts");
    await h.waitFor("Not passing yet");
    writeFileSync(file, "export function add(a: number, b: number) { return a + b; }\n");
    await h.waitFor("All checks pass");
    await h.press("l", KEY.enter);
    await h.waitFor("All checks pass");
    expect(readFileSync(file, "utf8")).toContain("return a + b");
  });
});

describe("Exercises list on a small terminal", () => {
  it("shows a window around the cursor with more-indicators", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...EXERCISES[0]!, id: `sql-ex-${i}`, title: `Exercise number ${i}` }));
    h = mount({ initial: "exercises", data: { exercises: many } });
    await h.press();
    let s = h.screen();
    expect(s).toContain("Exercise number 0");
    expect(s).toMatch(/↓ \d+ more/);
    expect(s).not.toContain("Exercise number 39");
    expect(s.split("\n").length).toBeLessThanOrEqual(30);
    await h.press(KEY.up); // wraps to the last one
    s = h.screen();
    expect(s).toContain("❯   new  Exercise number 39");
    expect(s).toMatch(/↑ \d+ more/);
  });
});
