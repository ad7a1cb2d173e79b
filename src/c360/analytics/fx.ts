/**
 * Currency normalisation: a static FX table that converts order amounts to US dollars.
 *
 * The rates are fixed 2024 reference rates, quoted as units of the currency per US dollar (the
 * way FX desks quote USD pairs). They are the rates the c360 data generator priced the orders
 * with (src/c360/datagen/vocab.ts), so converted amounts land back on the generator's dollar
 * prices. A real lakehouse would keep a daily rates table (e.g. from the ECB) and join on the
 * order date; a static table keeps the exercise reproducible and is easy to audit.
 *
 * | currency | units per USD | 1 unit in USD | decimals |
 * |---|---|---|---|
 * | USD | 1 | 1 | 2 |
 * | EUR | 0.92 | 1.0870 | 2 |
 * | GBP | 0.79 | 1.2658 | 2 |
 * | CAD | 1.36 | 0.7353 | 2 |
 * | AUD | 1.52 | 0.6579 | 2 |
 * | JPY | 151 | 0.006623 | 0 |
 *
 * Conversion: `amount_usd = round(amount / units_per_usd, 2)`, as DECIMAL(18,2). A currency not
 * in the table converts to NULL (the pipeline drops such rows with an expectation).
 *
 * @example
 *   toUsdSql("amount", "currency")
 *   // CAST(round(CAST(amount AS DOUBLE) / CASE upper(trim(currency)) WHEN 'USD' THEN 1 … END, 2) AS DECIMAL(18,2))
 */
import { frame, sqlString } from "./relation.js";
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";

export interface FxRate {
  /** ISO 4217 code. */
  currency: string;
  /** Units of the currency one US dollar buys. */
  unitsPerUsd: number;
  /** Minor-unit decimals of the currency (JPY has none). */
  decimals: number;
}

/** The static FX table (see the module comment). */
export const FX_RATES: readonly FxRate[] = Object.freeze([
  { currency: "USD", unitsPerUsd: 1, decimals: 2 },
  { currency: "EUR", unitsPerUsd: 0.92, decimals: 2 },
  { currency: "GBP", unitsPerUsd: 0.79, decimals: 2 },
  { currency: "CAD", unitsPerUsd: 1.36, decimals: 2 },
  { currency: "AUD", unitsPerUsd: 1.52, decimals: 2 },
  { currency: "JPY", unitsPerUsd: 151, decimals: 0 },
]);

/** Currencies the FX table knows. */
export const KNOWN_CURRENCIES: readonly string[] = Object.freeze(FX_RATES.map((r) => r.currency));

/** The currency code as the table spells it: `upper(trim(x))`. */
export function currencyCodeSql(currency: string): string {
  return `upper(trim(${currency}))`;
}

/** Units per USD of a currency expression, NULL for an unknown currency. */
export function unitsPerUsdSql(currency: string): string {
  return `CASE ${currencyCodeSql(currency)} ${FX_RATES.map((r) => `WHEN ${sqlString(r.currency)} THEN ${r.unitsPerUsd}`).join(" ")} END`;
}

/** The amount converted to USD, rounded to cents, as DECIMAL(18,2); NULL for unknown currencies. */
export function toUsdSql(amount: string, currency: string): string {
  return `CAST(round(CAST(${amount} AS DOUBLE) / (${unitsPerUsdSql(currency)}), 2) AS DECIMAL(18,2))`;
}

/** True when the currency is in the FX table. */
export function knownCurrencySql(currency: string): string {
  return `(${currencyCodeSql(currency)} IN (${KNOWN_CURRENCIES.map(sqlString).join(", ")}))`;
}

/** The FX table as a SELECT: currency, units_per_usd, usd_per_unit, decimals. */
export function fxRatesSql(): string {
  const rows = FX_RATES.map((r) => `(${sqlString(r.currency)}, CAST(${r.unitsPerUsd} AS DOUBLE), CAST(${1 / r.unitsPerUsd} AS DOUBLE), ${r.decimals})`);
  return `SELECT * FROM (VALUES ${rows.join(", ")}) AS fx(currency, units_per_usd, usd_per_unit, decimals)`;
}

/** The FX table as a DataFrame. */
export function fxRates(spark: QueryRunner): DataFrame {
  return frame(spark, fxRatesSql());
}
