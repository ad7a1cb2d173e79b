/** Data-quality building blocks for pipeline expectations: reusable rule sets and the quarantine pattern (rules.ts). */
export { combine, inRange, matches, nonNegative, notNull, oneOf, passesAll, quarantine, rule, validEmail, type NullOption, type RuleSet } from "./rules.js";
