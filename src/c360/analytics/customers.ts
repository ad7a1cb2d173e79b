/**
 * CRM customer profiles: the data-quality rules a profile line must pass, the normalised
 * profile columns, and the current profile per customer.
 *
 * A CRM line is a full version of a profile; a later line (greater `updated_at`) supersedes an
 * earlier one. Malformed lines (truncated JSON, a non-numeric customer_id, an invalid date, a
 * boolean written as "yes") are corrupted extra copies and must not become versions: they fail
 * CRM_QUALITY_RULES and go to quarantine.
 *
 * Normalisation: names trimmed; email trimmed and lower-cased (about 2% arrive capitalised or
 * padded); `phone_digits` keeps only the digits of the inconsistently formatted phone; the
 * address struct is flattened; country upper-cased; tier lower-cased.
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, type Relation } from "./relation.js";

/**
 * Rules a CRM line must pass to be a profile version (name → SQL condition over the bronze
 * columns; `_rescued_data` is Auto Loader's rescued-data column).
 */
export const CRM_QUALITY_RULES: Readonly<Record<string, string>> = Object.freeze({
  parsable_record: `NOT contains(coalesce(_rescued_data, ''), '"_corrupt_record"')`,
  valid_customer_id: "customer_id IS NOT NULL",
  valid_signup_date: "signup_date IS NOT NULL",
  valid_marketing_opt_in: "marketing_opt_in IS NOT NULL",
  valid_updated_at: "updated_at IS NOT NULL",
});

/**
 * All rules as one condition. As in pipeline expectations, a rule is violated only when its
 * condition is false (a NULL result passes), hence the coalesce.
 */
export function crmRulesConditionSql(rules: Readonly<Record<string, string>> = CRM_QUALITY_RULES): string {
  return Object.values(rules).map((r) => `coalesce((${r}), true)`).join(" AND ");
}

/** The names of the rules a row fails, as a list (empty when it passes). */
export function crmFailedRulesSql(rules: Readonly<Record<string, string>> = CRM_QUALITY_RULES): string {
  return `list_filter([${Object.entries(rules).map(([n, r]) => `CASE WHEN NOT coalesce((${r}), true) THEN '${n}' END`).join(", ")}], __r -> __r IS NOT NULL)`;
}

/**
 * The normalised profile columns (name → SQL expression over a CRM line with typed columns, as
 * the bronze table or `read_json` gives them). Usable in a SELECT list or with `selectExpr`.
 */
export const CUSTOMER_PROFILE_COLUMNS: Readonly<Record<string, string>> = Object.freeze({
  customer_id: "CAST(customer_id AS BIGINT)",
  first_name: "trim(first_name)",
  last_name: "trim(last_name)",
  email: "lower(trim(email))",
  phone: "phone",
  phone_digits: "nullif(regexp_replace(phone, '[^0-9]', '', 'g'), '')",
  street: "struct_extract(address, 'street')",
  city: "struct_extract(address, 'city')",
  region: "struct_extract(address, 'region')",
  postal_code: "struct_extract(address, 'postal_code')",
  country: "upper(struct_extract(address, 'country'))",
  date_of_birth: "TRY_CAST(date_of_birth AS DATE)",
  signup_date: "TRY_CAST(signup_date AS DATE)",
  loyalty_tier: "lower(loyalty_tier)",
  marketing_opt_in: "CAST(marketing_opt_in AS BOOLEAN)",
  preferred_channel: "lower(preferred_channel)",
  updated_at: "CAST(updated_at AS TIMESTAMPTZ)",
});

/** `expr AS name, …` for the profile columns. */
export function profileSelectList(): string[] {
  return Object.entries(CUSTOMER_PROFILE_COLUMNS).map(([n, e]) => `${e} AS ${n}`);
}

/** Valid CRM lines (passing every rule), normalised: one row per profile version. */
export function customerProfilesSql(crm: Relation, rules: Readonly<Record<string, string>> = CRM_QUALITY_RULES): string {
  return `SELECT ${profileSelectList().join(", ")} FROM ${relationSql(crm)} WHERE ${crmRulesConditionSql(rules)}`;
}

/**
 * The current version of each customer: the row with the greatest `updated_at` per customer_id
 * (ties, which the feed does not produce, go to the greatest email for determinism).
 */
export function currentCustomersSql(profiles: Relation): string {
  return `SELECT * FROM ${relationSql(profiles)} QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC, email DESC) = 1`;
}

export function customerProfiles(spark: QueryRunner, crm: Relation, rules?: Readonly<Record<string, string>>): DataFrame {
  return frame(spark, customerProfilesSql(crm, rules));
}
export function currentCustomers(spark: QueryRunner, profiles: Relation): DataFrame {
  return frame(spark, currentCustomersSql(profiles));
}
