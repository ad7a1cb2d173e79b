/** FSRS scheduling through ts-fsrs with injected time: ratings, due queues, limits, leeches. */
import { describe, expect, it } from "vitest";
import { FlashcardScheduler, formatInterval } from "../../src/learn/fsrs/index.js";
import type { CardState, DailyCounts } from "../../src/learn/progress/schema.js";
import type { Flashcard } from "../../src/learn/types.js";

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;
const DAY = 86_400_000;

function cards(n: number): Flashcard[] {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, concept: "delta", front: `front ${i}`, back: `back ${i}`, source: "guide" as const }));
}

describe("ratings", () => {
  it("a new card rated good is due later than one rated again", () => {
    const s = new FlashcardScheduler({ now: () => T0 });
    const again = s.rate(undefined, "again").state;
    const good = s.rate(undefined, "good").state;
    const easy = s.rate(undefined, "easy").state;
    expect(Date.parse(good.due)).toBeGreaterThan(Date.parse(again.due));
    expect(Date.parse(easy.due)).toBeGreaterThan(Date.parse(good.due));
    expect(Date.parse(again.due) - T0.getTime()).toBe(1 * MIN);
    expect(Date.parse(good.due) - T0.getTime()).toBe(10 * MIN);
  });

  it("is deterministic for the same time and history (no fuzz)", () => {
    const run = () => {
      const s = new FlashcardScheduler();
      let st: CardState | undefined;
      let t = T0;
      for (const r of ["good", "good", "hard", "easy"] as const) {
        st = s.rate(st, r, undefined, t).state;
        t = new Date(Date.parse(st.due));
      }
      return st;
    };
    expect(run()).toEqual(run());
  });

  it("previews the interval of each rating", () => {
    const s = new FlashcardScheduler({ now: () => T0 });
    const p = s.preview(undefined);
    expect(p.again.interval).toBe("1m");
    expect(p.good.interval).toBe("10m");
    expect(formatInterval(3 * DAY)).toBe("3d");
  });

  it("graduates a card to review after good ratings and grows the interval", () => {
    const s = new FlashcardScheduler();
    let st = s.rate(undefined, "good", undefined, T0).state;
    st = s.rate(st, "good", undefined, new Date(st.due)).state;
    expect(st.state).toBe(2);
    const first = st.scheduledDays;
    st = s.rate(st, "good", undefined, new Date(st.due)).state;
    expect(st.scheduledDays).toBeGreaterThan(first);
  });
});

describe("leeches", () => {
  it("flags and suspends a card on its 8th lapse, like Anki", () => {
    const s = new FlashcardScheduler();
    let t = T0;
    let st: CardState | undefined;
    const step = (r: "again" | "good") => {
      const out = s.rate(st, r, undefined, t);
      st = out.state;
      t = new Date(Math.max(Date.parse(out.state.due), t.getTime() + MIN));
      return out;
    };
    // learn it: new → learning → review
    step("good");
    step("good");
    expect(st!.state).toBe(2);
    let leechAt = -1;
    for (let lapse = 1; lapse <= 8; lapse++) {
      const out = step("again"); // a lapse: review → relearning
      expect(out.lapse).toBe(true);
      expect(out.state.lapses).toBe(lapse);
      if (out.becameLeech) leechAt = lapse;
      if (lapse < 8) {
        expect(out.state.leech).toBeUndefined();
        step("good"); // relearned → back to review
        expect(st!.state).toBe(2);
      }
    }
    expect(leechAt).toBe(8);
    expect(st!.leech).toBe(true);
    expect(st!.suspended).toBe(true);
    const list = cards(1);
    const q = s.queue(list, { c0: st! }, undefined, new Date(t.getTime() + 365 * DAY));
    expect(q.queue).toEqual([]);
    expect(q.leeches).toBe(1);
    expect(q.suspended).toBe(1);
    // Unsuspending brings it back without forgetting that it is a leech.
    const back = s.unsuspend(st!);
    expect(back.leech).toBe(true);
    expect(s.queue(list, { c0: back }, undefined, new Date(t.getTime() + 365 * DAY)).queue).toHaveLength(1);
  });
});

describe("queues and daily limits", () => {
  it("introduces at most newPerDay new cards per day, then more the next day", () => {
    const now = { t: T0 };
    const s = new FlashcardScheduler({ now: () => now.t, newPerDay: 2, dayStartHour: 0 });
    const list = cards(5);
    const states: Record<string, CardState> = {};
    let daily: DailyCounts | undefined;
    let q = s.queue(list, states, daily);
    expect(q.queue.map((c) => c.id)).toEqual(["c0", "c1"]);
    expect(q.newAvailable).toBe(5);
    for (const c of q.queue) {
      const out = s.rate(states[c.id], "easy", daily);
      states[c.id] = out.state;
      daily = out.daily;
    }
    expect(daily).toMatchObject({ newCards: 2, reviews: 0 });
    q = s.queue(list, states, daily);
    expect(q.queue).toEqual([]);
    expect(q.newLeft).toBe(0);
    expect(q.newAvailable).toBe(3);
    now.t = new Date(T0.getTime() + DAY);
    q = s.queue(list, states, daily);
    expect(q.newLeft).toBe(2);
    expect(q.queue.map((c) => c.id)).toContain("c2");
  });

  it("caps reviews per day and puts due reviews before new cards", () => {
    const s = new FlashcardScheduler({ reviewsPerDay: 1, newPerDay: 5, dayStartHour: 0 });
    const list = cards(4);
    const states: Record<string, CardState> = {};
    for (const id of ["c0", "c1"]) {
      let st = s.rate(undefined, "good", undefined, T0).state;
      st = s.rate(st, "good", undefined, new Date(st.due)).state;
      states[id] = st;
    }
    const later = new Date(Math.max(Date.parse(states["c0"]!.due), Date.parse(states["c1"]!.due)) + MIN);
    const q = s.queue(list, states, undefined, later);
    expect(q.dueReviews).toBe(2);
    expect(q.queue.map((c) => c.id)).toEqual(["c0", "c2", "c3"]);
    const out = s.rate(states["c0"], "good", undefined, later);
    states["c0"] = out.state;
    expect(out.daily.reviews).toBe(1);
    const q2 = s.queue(list, states, out.daily, later);
    expect(q2.reviewsLeft).toBe(0);
    expect(q2.queue.map((c) => c.id)).toEqual(["c2", "c3"]);
  });

  it("shows learning cards a little early when nothing else is due (learn ahead)", () => {
    const s = new FlashcardScheduler({ dayStartHour: 0 });
    const list = cards(1);
    const st = s.rate(undefined, "again", undefined, T0).state;
    expect(s.queue(list, { c0: st }, undefined, T0).queue.map((c) => c.id)).toEqual(["c0"]);
    const q = s.queue(list, { c0: st }, undefined, T0);
    expect(q.nextDue?.toISOString()).toBe(new Date(T0.getTime() + MIN).toISOString());
  });

  it("resets the daily counters at the day boundary (4 am by default)", () => {
    const s = new FlashcardScheduler();
    const local = (h: number) => new Date(2026, 2, 2, h, 30);
    expect(s.dayKey(local(3))).toBe("2026-03-01");
    expect(s.dayKey(local(5))).toBe("2026-03-02");
    expect(s.today({ day: "2026-03-01", newCards: 7, reviews: 3 }, local(5))).toEqual({ day: "2026-03-02", newCards: 0, reviews: 0 });
  });
});
