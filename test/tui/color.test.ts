/**
 * Colours: on by default, off with NO_COLOR (any non-empty value) or FORCE_COLOR=0. chalk decides
 * its level when first imported, so this file forces colour support before ink loads.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env["FORCE_COLOR"] = "1";
});

import { cleanup } from "ink-testing-library";
import { colorEnabled, makeTheme } from "../../src/tui/theme.js";
import { removeDir } from "./fixtures.js";
import { KEY, mount, type Harness } from "./helpers.js";

const COLOUR = /\x1b\[(3[0-7]|9[0-7]|38;[0-9;]+)m/;
let h: Harness | undefined;
afterEach(() => {
  cleanup();
  if (h) removeDir(h.dir);
  h = undefined;
});

describe("colours", () => {
  it("reads NO_COLOR and FORCE_COLOR", () => {
    expect(colorEnabled({ NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ NO_COLOR: "" })).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: "false" })).toBe(false);
    expect(colorEnabled({})).toBe(true);
  });

  it("uses colour when enabled", async () => {
    h = mount({ deps: { theme: makeTheme(true) } });
    await h.press(KEY.down);
    expect(h.ui.frames.join("")).toMatch(COLOUR);
  });

  it("emits no colour codes when disabled, and the selection stays visible", async () => {
    h = mount({ deps: { theme: makeTheme(false) } });
    await h.press(KEY.down, "1");
    expect(h.ui.frames.join("")).not.toMatch(COLOUR);
    expect(h.screen()).toContain("❯ 1. Delta Lake");
  });
});
