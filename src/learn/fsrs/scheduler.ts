/**
 * Flashcard scheduling on top of ts-fsrs (FSRS-6): ratings again/hard/good/easy, due queues with a
 * daily new-card limit and a daily review limit, and Anki-style leeches (a card that lapses
 * `leechThreshold` times, 8 by default, is flagged and suspended). Time is injected (`now`), so a
 * test can replay weeks of reviews in milliseconds; fuzz is off, so intervals are deterministic.
 */
import { createEmptyCard, fsrs, Rating, State, type Card, type FSRS, type Grade } from "ts-fsrs";
import type { CardState, DailyCounts } from "../progress/schema.js";
import type { Flashcard } from "../types.js";

export type RatingName = "again" | "hard" | "good" | "easy";
export const RATINGS: readonly RatingName[] = ["again", "hard", "good", "easy"];

const GRADE: Record<RatingName, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

export interface SchedulerOptions {
  now?: () => Date;
  /** New cards introduced per day (Anki's default: 20). */
  newPerDay?: number;
  /** Reviews of already-seen cards per day (Anki's default: 200). */
  reviewsPerDay?: number;
  /** Lapses after which a card is a leech and gets suspended (Anki's default: 8). */
  leechThreshold?: number;
  /** Target probability of recall at the due date (0.9). */
  requestRetention?: number;
  /** Hour (local time) at which the study day starts, as Anki's "next day starts at" (4). */
  dayStartHour?: number;
  /** When nothing else is due, learning cards due within this many minutes are shown early (20). */
  learnAheadMinutes?: number;
}

export interface RateOutcome {
  state: CardState;
  daily: DailyCounts;
  /** The card was new before this rating (counts against the new-card limit). */
  wasNew: boolean;
  /** This rating was a lapse (again on a card in review). */
  lapse: boolean;
  /** The card just became a leech (and was suspended). */
  becameLeech: boolean;
}

export interface QueueSummary {
  /** Cards to study now, in order: learning, reviews (oldest due first), new. */
  queue: Flashcard[];
  /** Seen cards due now (before the review limit). */
  dueReviews: number;
  /** Never-seen cards available (before the new limit). */
  newAvailable: number;
  newToday: number;
  reviewsToday: number;
  newLeft: number;
  reviewsLeft: number;
  leeches: number;
  suspended: number;
  /** Earliest due date among seen, unsuspended cards that are not due yet. */
  nextDue?: Date;
}

function toCard(s: CardState): Card {
  const card: Card = {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsedDays,
    scheduled_days: s.scheduledDays,
    learning_steps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state as State,
  };
  if (s.lastReview) card.last_review = new Date(s.lastReview);
  return card;
}

function fromCard(c: Card, prev?: CardState): CardState {
  const s: CardState = {
    due: c.due.toISOString(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as CardState["state"],
  };
  if (c.last_review) s.lastReview = c.last_review.toISOString();
  if (prev?.leech) s.leech = true;
  if (prev?.suspended) s.suspended = true;
  return s;
}

/** "45s", "10m", "3h", "4d", "2.5mo", "1.2y". */
export function formatInterval(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.round(h / 24);
  if (d < 30) return `${d}d`;
  if (d < 365) return `${Math.round((d / 30) * 10) / 10}mo`;
  return `${Math.round((d / 365) * 10) / 10}y`;
}

export class FlashcardScheduler {
  readonly newPerDay: number;
  readonly reviewsPerDay: number;
  readonly leechThreshold: number;
  readonly dayStartHour: number;
  readonly learnAheadMinutes: number;
  private readonly clock: () => Date;
  private readonly f: FSRS;

  constructor(opts: SchedulerOptions = {}) {
    this.clock = opts.now ?? (() => new Date());
    this.newPerDay = opts.newPerDay ?? 20;
    this.reviewsPerDay = opts.reviewsPerDay ?? 200;
    this.leechThreshold = opts.leechThreshold ?? 8;
    this.dayStartHour = opts.dayStartHour ?? 4;
    this.learnAheadMinutes = opts.learnAheadMinutes ?? 20;
    this.f = fsrs({ enable_fuzz: false, request_retention: opts.requestRetention ?? 0.9 });
  }

  now(): Date {
    return this.clock();
  }

  /** The study day `now` belongs to (local date, shifted by the day-start hour). */
  dayKey(now: Date = this.clock()): string {
    const d = new Date(now.getTime() - this.dayStartHour * 3_600_000);
    const mm = String(d.getMonth() + 1).padStart(2, "0");
    const dd = String(d.getDate()).padStart(2, "0");
    return `${d.getFullYear()}-${mm}-${dd}`;
  }

  /** Today's counters (a fresh pair when the stored ones belong to another day). */
  today(daily: DailyCounts | undefined, now: Date = this.clock()): DailyCounts {
    const day = this.dayKey(now);
    return daily && daily.day === day ? { ...daily } : { day, newCards: 0, reviews: 0 };
  }

  newCard(now: Date = this.clock()): CardState {
    return fromCard(createEmptyCard(now));
  }

  isNew(s: CardState | undefined): boolean {
    return s === undefined || s.state === State.New;
  }

  isDue(s: CardState | undefined, now: Date = this.clock()): boolean {
    if (s === undefined) return true;
    if (s.suspended) return false;
    return new Date(s.due).getTime() <= now.getTime();
  }

  /** What each rating would do: the next due date per rating. */
  preview(s: CardState | undefined, now: Date = this.clock()): Record<RatingName, { due: Date; interval: string }> {
    const card = s ? toCard(s) : createEmptyCard(now);
    const out = {} as Record<RatingName, { due: Date; interval: string }>;
    for (const r of RATINGS) {
      const next = this.f.next(card, now, GRADE[r]).card;
      out[r] = { due: next.due, interval: formatInterval(next.due.getTime() - now.getTime()) };
    }
    return out;
  }

  /** Applies a rating; updates the daily counters and leech state. */
  rate(s: CardState | undefined, rating: RatingName, daily?: DailyCounts, now: Date = this.clock()): RateOutcome {
    const before = s ?? this.newCard(now);
    const wasNew = before.state === State.New;
    const next = this.f.next(toCard(before), now, GRADE[rating]).card;
    const state = fromCard(next, before);
    const lapse = next.lapses > before.lapses;
    let becameLeech = false;
    if (lapse && state.lapses >= this.leechThreshold && !state.leech) {
      state.leech = true;
      state.suspended = true;
      becameLeech = true;
    }
    const counts = this.today(daily, now);
    if (wasNew) counts.newCards += 1;
    else counts.reviews += 1;
    return { state, daily: counts, wasNew, lapse, becameLeech };
  }

  /** Lifts the suspension of a leech (keeps the leech tag, resets nothing else). */
  unsuspend(s: CardState): CardState {
    const out = { ...s };
    delete out.suspended;
    return out;
  }

  /** The study queue for now, honouring the daily limits. */
  queue(cards: readonly Flashcard[], states: Readonly<Record<string, CardState>>, daily?: DailyCounts, now: Date = this.clock()): QueueSummary {
    const counts = this.today(daily, now);
    const t = now.getTime();
    const learning: Array<[Flashcard, number]> = [];
    const reviews: Array<[Flashcard, number]> = [];
    const ahead: Array<[Flashcard, number]> = [];
    const fresh: Flashcard[] = [];
    let leeches = 0;
    let suspended = 0;
    let nextDue: number | undefined;
    for (const c of cards) {
      const s = Object.hasOwn(states, c.id) ? states[c.id] : undefined;
      if (s?.leech) leeches++;
      if (s?.suspended) {
        suspended++;
        continue;
      }
      if (s === undefined || s.state === State.New) {
        fresh.push(c);
        continue;
      }
      const due = new Date(s.due).getTime();
      const isLearning = s.state === State.Learning || s.state === State.Relearning;
      if (due <= t) (isLearning ? learning : reviews).push([c, due]);
      else {
        if (isLearning && due - t <= this.learnAheadMinutes * 60_000) ahead.push([c, due]);
        nextDue = nextDue === undefined ? due : Math.min(nextDue, due);
      }
    }
    const byDue = (a: [Flashcard, number], b: [Flashcard, number]) => a[1] - b[1];
    learning.sort(byDue);
    reviews.sort(byDue);
    ahead.sort(byDue);
    const reviewsLeft = Math.max(0, this.reviewsPerDay - counts.reviews);
    const newLeft = Math.max(0, this.newPerDay - counts.newCards);
    const dueSeen = [...learning, ...reviews].map(([c]) => c);
    const queue = [...dueSeen.slice(0, reviewsLeft), ...fresh.slice(0, newLeft)];
    if (queue.length === 0 && reviewsLeft > 0) queue.push(...ahead.map(([c]) => c));
    const out: QueueSummary = {
      queue,
      dueReviews: dueSeen.length,
      newAvailable: fresh.length,
      newToday: counts.newCards,
      reviewsToday: counts.reviews,
      newLeft,
      reviewsLeft,
      leeches,
      suspended,
    };
    if (nextDue !== undefined) out.nextDue = new Date(nextDue);
    return out;
  }
}
