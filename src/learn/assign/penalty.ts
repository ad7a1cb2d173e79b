/** Late penalties: "10%/day", "10%/day,max 50%", "5%/day, max 30%", "none". */
import type { LatePenalty } from "./types.js";
import { LearnError } from "../errors.js";

const DAY_MS = 86_400_000;

export function parseLatePenalty(text: string | undefined): LatePenalty | null {
  if (text === undefined) return null;
  const t = text.trim().toLowerCase();
  if (t === "" || t === "none" || t === "0" || t === "0%") return null;
  const m = /^(\d+(?:\.\d+)?)\s*%\s*(?:\/|per\s+)\s*day\s*(?:[,;]\s*max(?:imum)?\s*(\d+(?:\.\d+)?)\s*%)?$/.exec(t);
  if (!m) throw new LearnError("INVALID_LATE_PENALTY", `invalid --late-penalty "${text}" (expected e.g. "10%/day" or "10%/day,max 50%")`);
  const perDay = Number(m[1]) / 100;
  const max = m[2] !== undefined ? Number(m[2]) / 100 : 1;
  if (perDay <= 0 || perDay > 1 || max <= 0 || max > 1) throw new LearnError("INVALID_LATE_PENALTY", `invalid --late-penalty "${text}" (percentages must be between 0 and 100)`);
  return { perDay, max };
}

export function describePenalty(p: LatePenalty | null): string {
  if (!p) return "no late penalty";
  return `${round(p.perDay * 100)}% per day late${p.max < 1 ? `, at most ${round(p.max * 100)}%` : ""}`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Started days late (1 second late = 1 day), 0 when on time. */
export function daysLate(submittedAt: Date, due: Date): number {
  const late = submittedAt.getTime() - due.getTime();
  return late <= 0 ? 0 : Math.ceil(late / DAY_MS);
}

/** Fraction of the score removed. */
export function penaltyFraction(p: LatePenalty | null, days: number): number {
  if (!p || days <= 0) return 0;
  return Math.round(Math.min(p.max, p.perDay * days, 1) * 1e6) / 1e6;
}
