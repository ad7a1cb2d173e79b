export { FlashcardScheduler, formatInterval, RATINGS, type RatingName, type RateOutcome, type QueueSummary, type SchedulerOptions } from "./scheduler.js";
