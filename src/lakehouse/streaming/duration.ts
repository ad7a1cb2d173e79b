/**
 * Spark interval strings as streaming APIs take them: `withWatermark("ts", "10 minutes")`,
 * `window(col("ts"), "1 hour")`, `trigger({ processingTime: "5 seconds" })`. Several parts add up
 * ("1 hour 30 minutes"). Months and years have no fixed length, so they are refused here.
 */
import { InvalidStreamingOptionError } from "./errors.js";

const UNIT_MS: Record<string, number> = {
  microsecond: 0.001, microseconds: 0.001, us: 0.001,
  millisecond: 1, milliseconds: 1, ms: 1,
  second: 1000, seconds: 1000, sec: 1000, secs: 1000, s: 1000,
  minute: 60_000, minutes: 60_000, min: 60_000, mins: 60_000, m: 60_000,
  hour: 3_600_000, hours: 3_600_000, h: 3_600_000,
  day: 86_400_000, days: 86_400_000, d: 86_400_000,
  week: 604_800_000, weeks: 604_800_000,
};

/** Milliseconds of an interval string such as "10 minutes" or "1 hour 30 minutes" (a number is milliseconds). */
export function parseDuration(text: string | number, what: string): number {
  if (typeof text === "number") {
    if (!Number.isFinite(text) || text < 0) throw new InvalidStreamingOptionError(`${what} must be a non-negative number of milliseconds, got ${text}.`, { value: text });
    return text;
  }
  const s = String(text).trim().toLowerCase().replace(/^interval\s+/, "");
  const re = /(-?\d+(?:\.\d+)?)\s*([a-z]+)/g;
  let total = 0;
  let matched = "";
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const unit = UNIT_MS[m[2]!];
    if (unit === undefined) {
      throw new InvalidStreamingOptionError(`${what}: unknown or unsupported interval unit '${m[2]}' in '${text}'. Use milliseconds, seconds, minutes, hours, days or weeks (months and years have no fixed length).`, { value: text });
    }
    total += Number(m[1]) * unit;
    matched += m[0];
  }
  if (matched.replace(/\s/g, "") !== s.replace(/\s/g, "") || matched === "") {
    throw new InvalidStreamingOptionError(`${what}: cannot parse the interval '${text}'. Write it like "10 seconds", "5 minutes" or "1 hour 30 minutes".`, { value: text });
  }
  if (total < 0) throw new InvalidStreamingOptionError(`${what} must not be negative, got '${text}'.`, { value: text });
  return total;
}
