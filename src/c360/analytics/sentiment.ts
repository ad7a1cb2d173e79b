/**
 * Ticket sentiment with a transparent word-list (lexicon) method, written as one SQL expression
 * so it runs inside DuckDB — in a batch query or row by row in a streaming micro-batch.
 *
 * Method:
 *   1. Tokenise: lower-case the text, expand the contraction "n't" to " not" (so "isn't" gives
 *      "is not", "don't" "do not"), turn clause punctuation (. , ; : ! ?) into a boundary token
 *      `_`, and split on every other character that is not a letter a–z.
 *   2. Each token found in POSITIVE_WORDS has polarity +1, in NEGATIVE_WORDS −1, else 0.
 *   3. Negation: a polarity word is flipped when one of NEGATORS appears among the 3 tokens
 *      before it in the same clause ("not helpful" → negative, "no problem" → positive, "not
 *      very happy" → negative; but in "nothing happened. Terrible." the full stop ends the
 *      negation's reach, so "terrible" stays negative). Boundary tokens count in the 3.
 *   4. P = number of tokens with final polarity +1, N = number with −1, and
 *
 *          score = (P − N) / (P + N + 1)
 *
 *      which lies strictly inside (−1, 1): 0 for a text without sentiment words, ±0.5 for one
 *      word, ±0.75 for three. The +1 in the denominator damps texts with little evidence.
 *   5. Label: `positive` when score > 0, `negative` when score < 0, `neutral` at 0.
 *
 * The lists are small and aimed at retail support tickets; they are exported so a lesson can
 * show, test and extend them. A NULL text scores NULL.
 *
 * @example
 *   sentimentScoreSql("body")  // a scalar SQL expression over the column body
 *   await spark.sql(`SELECT ${sentimentScoreSql("'Thanks, great and helpful!'")} AS s`)  // 0.75
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, sqlStringList, type Relation } from "./relation.js";

/** Words that express satisfaction. */
export const POSITIVE_WORDS: readonly string[] = Object.freeze([
  "thanks", "thank", "great", "excellent", "happy", "helpful", "appreciate", "appreciated", "perfect", "wonderful",
  "love", "loved", "friendly", "fast", "quick", "quickly", "good", "nice", "amazing", "awesome", "satisfied",
  "pleased", "glad", "solved", "resolved", "fixed", "best", "fantastic", "kind", "smooth", "easy",
]);

/** Words that express dissatisfaction. */
export const NEGATIVE_WORDS: readonly string[] = Object.freeze([
  "terrible", "disappointed", "disappointing", "angry", "unacceptable", "broken", "worst", "frustrated", "frustrating",
  "defective", "useless", "awful", "poor", "upset", "horrible", "damaged", "dirty", "bad", "late", "slow", "failing",
  "failed", "unhappy", "annoyed", "annoying", "wrong", "missing", "delayed", "problem", "complaint", "cancel", "rude",
  "waste", "never", "worse", "hate",
]);

/** Words that flip the polarity of a sentiment word up to 3 tokens after them. */
export const NEGATORS: readonly string[] = Object.freeze([
  "not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without", "cannot", "hardly", "barely",
]);

/** How many tokens before a sentiment word a negator reaches. */
export const NEGATION_WINDOW = 3;

/** The tokens of a text expression: a list of lower-case words. */
export function tokensSql(text: string): string {
  const spaced = `regexp_replace(replace(lower(CAST(${text} AS VARCHAR)), 'n''t', ' not'), '[.,;:!?]', ' _ ', 'g')`;
  return `list_filter(string_split_regex(${spaced}, '[^a-z_]+'), __w -> __w <> '')`;
}

/** The tokens of list `t` that a negator can reach from position `i`: up to 3 before, after the last boundary. */
function negationScopeSql(t: string, i: string): string {
  const before = `list_reverse(list_slice(${t}, greatest(${i} - ${NEGATION_WINDOW}, 1), ${i} - 1))`;
  return `list_transform([${before}], __b -> list_slice(__b, 1, coalesce(nullif(list_position(__b, '_'), 0), len(__b) + 1) - 1))[1]`;
}

/** Per token, its final polarity (−1, 0, +1) after negation, as a list. */
export function polaritiesSql(text: string): string {
  const pos = sqlStringList(POSITIVE_WORDS);
  const neg = sqlStringList(NEGATIVE_WORDS);
  const negators = sqlStringList(NEGATORS);
  return `list_transform([${tokensSql(text)}], __t -> list_transform(__t, (__w, __i) ->
      (CASE WHEN list_contains(${pos}, __w) THEN 1 WHEN list_contains(${neg}, __w) THEN -1 ELSE 0 END)
      * (CASE WHEN __i > 1 AND list_has_any(${negationScopeSql("__t", "__i")}, ${negators}) THEN -1 ELSE 1 END)))[1]`;
}

/** Number of positive (`sign` 1) or negative (`sign` −1) words after negation. */
export function sentimentCountSql(text: string, sign: 1 | -1): string {
  return `CASE WHEN ${text} IS NULL THEN NULL ELSE len(list_filter(${polaritiesSql(text)}, __p -> __p = ${sign})) END`;
}

/** score = (P − N) / (P + N + 1) as DOUBLE; NULL for a NULL text. */
export function sentimentScoreSql(text: string): string {
  return `CASE WHEN ${text} IS NULL THEN NULL ELSE list_transform([${polaritiesSql(text)}], __ps ->
      CAST(len(list_filter(__ps, __p -> __p > 0)) - len(list_filter(__ps, __p -> __p < 0)) AS DOUBLE)
      / (len(list_filter(__ps, __p -> __p <> 0)) + 1))[1] END`;
}

/** 'positive' / 'negative' / 'neutral' from a score expression. */
export function sentimentLabelSql(score: string): string {
  return `CASE WHEN ${score} IS NULL THEN NULL WHEN ${score} > 0 THEN 'positive' WHEN ${score} < 0 THEN 'negative' ELSE 'neutral' END`;
}

/**
 * The sentiment columns for a text column, as name → SQL expression, for `selectExpr`,
 * `withColumns` on a (streaming) DataFrame, or a SELECT list: positive_words, negative_words,
 * sentiment_score. Add the label afterwards with `sentimentLabelSql("sentiment_score")`.
 */
export function sentimentColumns(text: string): Record<string, string> {
  return {
    positive_words: sentimentCountSql(text, 1),
    negative_words: sentimentCountSql(text, -1),
    sentiment_score: sentimentScoreSql(text),
  };
}

/** The input's rows plus positive_words, negative_words, sentiment_score, sentiment_label of `textColumn`. */
export function withSentimentSql(input: Relation, textColumn = "body"): string {
  const cols = Object.entries(sentimentColumns(textColumn)).map(([n, e]) => `${e} AS ${n}`);
  return `SELECT *, ${sentimentLabelSql("sentiment_score")} AS sentiment_label FROM (SELECT *, ${cols.join(", ")} FROM ${relationSql(input)})`;
}

export function withSentiment(spark: QueryRunner, input: Relation, textColumn = "body"): DataFrame {
  return frame(spark, withSentimentSql(input, textColumn));
}
