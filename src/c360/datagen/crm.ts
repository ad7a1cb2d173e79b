/**
 * CRM customers: JSON lines, one profile per line, in batches. Batch 1 holds every customer who
 * signed up before 2024 (the initial export); each later batch holds the customers who signed up
 * in its window plus new versions of existing profiles (changed email, address, phone, tier or
 * marketing consent, with a later updated_at). From batch 3 on every line carries a new field,
 * `preferred_channel`. A few lines per batch are malformed copies of a valid line (truncated
 * JSON, a non-numeric customer_id, an unparseable date, a string where a boolean belongs); every
 * customer still has a valid line.
 */
import { join } from "node:path";
import { COUNTRIES, LOYALTY_TIERS, PREFERRED_CHANNELS } from "./vocab.js";
import { copyLines, sqlList, sqlStr, type Ctx, type FileReport, type SourceReport, weightedIndexList, HISTORY_START, PERIOD_START, SPAN_SECONDS, singleThreaded } from "./context.js";
import { fileBytes, batchFile } from "./files.js";

export const CRM_MALFORMED_KINDS = ["truncated_json", "non_numeric_customer_id", "invalid_date", "wrong_type_boolean"] as const;

function nested(lists: string[][]): string {
  return `[${lists.map((l) => sqlList(l)).join(", ")}]`;
}

/** SQL for the postal-code suffix of country `ci` from a digit string `d` and letter string `l`. */
function postalSuffixSql(): string {
  const arms = COUNTRIES.map((c, i) => {
    let di = 0;
    let li = 0;
    const parts = [...c.postalSuffix].map((ch) => (ch === "#" ? `d[${++di}]` : ch === "@" ? `l[${++li}]` : sqlStr(ch)));
    return `WHEN ${i} THEN ${parts.join(" || ")}`;
  });
  return `CASE ci ${arms.join(" ")} END`;
}

function streetSql(): string {
  const arms = COUNTRIES.map((c, i) => {
    const expr =
      c.streetStyle === "number-first" ? `num::VARCHAR || ' ' || sname`
      : c.streetStyle === "number-last" ? `sname || ' ' || num::VARCHAR`
      : `(1 + num % 5)::VARCHAR || '-' || (1 + num % 17)::VARCHAR || '-' || (1 + num % 23)::VARCHAR || ' ' || sname`;
    return `WHEN ${i} THEN ${expr}`;
  });
  return `CASE ci ${arms.join(" ")} END`;
}

/** Replace each '#' of format `fmt` by the next digit of `d`, in order. */
function fillHashes(fmt: string, d: string, max = 11): string {
  let e = fmt;
  for (let i = 1; i <= max; i++) e = `regexp_replace(${e}, '#', ${d}[${i}])`;
  return e;
}

export async function generateCrm(ctx: Ctx): Promise<SourceReport> {
  const { db, sizes, batches } = ctx;
  const NC = sizes.customers;
  const NOLD = sizes.oldCustomers;
  const NNEW = NC - NOLD;
  const histMs = Date.parse(PERIOD_START.replace(" ", "T") + "Z") - Date.parse(HISTORY_START.replace(" ", "T") + "Z");

  // One row per customer: the attributes that never change, and version 0's timestamps.
  await db.run(`CREATE TABLE cust AS
    WITH s AS (
      SELECT c, cty(c) AS ci,
        CASE WHEN c < ${NOLD}
          THEN TIMESTAMP '${HISTORY_START}' + to_milliseconds(floor((c + u(c, 'signup')) / ${NOLD} * ${histMs})::BIGINT)
          ELSE ts_at(((c - ${NOLD}) + u(c, 'signup')) / ${Math.max(1, NNEW)} * ${SPAN_SECONDS}) END AS signup_ts
      FROM range(${NC}) t(c))
    SELECT c, ci, signup_ts,
      CASE WHEN c < ${NOLD}
        THEN signup_ts + to_milliseconds(floor(u(c, 'upd0') * date_diff('millisecond', signup_ts, TIMESTAMP '${PERIOD_START}'))::BIGINT)
        ELSE signup_ts END AS updated_at0,
      pick(${nested(COUNTRIES.map((x) => x.firstNames))}[ci + 1], u(c, 'first')) AS first_name,
      pick(${nested(COUNTRIES.map((x) => x.lastNames))}[ci + 1], u(c, 'last')) AS last_name,
      CASE WHEN u(c, 'nodob') < 0.07 THEN NULL
        ELSE DATE '2006-06-30' - floor((CASE WHEN u(c, 'old') < 0.06 THEN 52 + 30 * u(c, 'age1')
          ELSE 52 * (u(c, 'age1') + u(c, 'age2')) / 2 END) * 365.25 + 365 * u(c, 'age3'))::INTEGER END AS dob,
      pick(${weightedIndexList([60, 25, 12, 3])}, u(c, 'tier')) AS tier0,
      u(c, 'optin') < 0.55 AS opt0,
      pick(${sqlList(PREFERRED_CHANNELS)}, u(c, 'pref')) AS preferred_channel,
      pick(${nested(COUNTRIES.map((x) => x.phoneFormats))}[ci + 1], u(c, 'phonefmt')) AS phone_fmt,
      u(c, 'nophone') < 0.06 AS no_phone
    FROM s`);

  // Profile changes: in each later batch about 10% of the existing customers change something,
  // a few of them twice.
  const kinds = ["email", "email", "address", "address", "address", "tier", "tier", "tier", "phone", "opt_in", "opt_in"];
  await db.run(`CREATE TABLE cust_chg AS
    SELECT c, b, k, pick(${sqlList(kinds)}, u3(c, b * 10 + k, 'kind')) AS kind,
      win_start(b) + to_milliseconds(floor(u3(c, b * 10 + k, 'chg_ts') * win_len(b) * 1000)::BIGINT) AS updated_at
    FROM cust, range(2, ${batches + 1}) bb(b), range(2) kk(k)
    WHERE signup_ts < win_start(b) AND u3(c, b, 'chg') < 0.10 AND (k = 0 OR u3(c, b, 'chg2') < 0.12)`);

  await db.run(`CREATE TABLE cust_ver AS
    WITH ev AS (
      SELECT c, 0 AS ord, updated_at0 AS updated_at, NULL::VARCHAR AS kind FROM cust
      UNION ALL SELECT c, 1 + b * 10 + k AS ord, updated_at, kind FROM cust_chg)
    SELECT c, ord, updated_at, kind, batch_of(updated_at) AS batch,
      count(*) FILTER (WHERE kind = 'email') OVER w AS n_email,
      count(*) FILTER (WHERE kind = 'address') OVER w AS n_addr,
      count(*) FILTER (WHERE kind = 'tier') OVER w AS n_tier,
      count(*) FILTER (WHERE kind = 'phone') OVER w AS n_phone,
      count(*) FILTER (WHERE kind = 'opt_in') OVER w AS n_opt
    FROM ev
    WINDOW w AS (PARTITION BY c ORDER BY updated_at, ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`);

  const domains = nested(COUNTRIES.map((x) => x.emailDomains));
  const cities = `[${COUNTRIES.map((x) => `[${x.cities.map((ct) => `{'city': ${sqlStr(ct.city)}, 'region': ${sqlStr(ct.region)}, 'postal': ${sqlStr(ct.postal)}}`).join(", ")}]`).join(", ")}]`;
  const streets = nested(COUNTRIES.map((x) => x.streets));
  const codes = sqlList(COUNTRIES.map((x) => x.code));

  // Every version as a full profile, rendered as one JSON line.
  await db.run(`CREATE TABLE crm_valid AS
    WITH v AS (
      SELECT v.*, cust.* EXCLUDE (c),
        lower(strip_accents(replace(first_name, ' ', ''))) AS fn,
        lower(strip_accents(replace(replace(last_name, ' ', ''), '''', ''))) AS ln,
        pick(${domains}[ci + 1], u3(c, n_email, 'domain')) AS domain,
        floor(u3(c, n_email, 'emailfmt') * 5)::INTEGER AS efmt,
        u3(c, n_email, 'emailcase') AS ecase,
        lpad((h3(c, n_phone, 'phone') % 100000000000)::VARCHAR, 11, '0') AS pd,
        pick(${cities}[ci + 1], u3(c, n_addr, 'city')) AS cityrec,
        pick(${streets}[ci + 1], u3(c, n_addr, 'street')) AS sname,
        1 + floor(u3(c, n_addr, 'num') * u3(c, n_addr, 'num2') * 400)::INTEGER AS num,
        lpad((h3(c, n_addr, 'postal') % 1000000)::VARCHAR, 6, '0') AS d,
        chr(65 + (h3(c, n_addr, 'l1') % 26)::INTEGER) || chr(65 + (h3(c, n_addr, 'l2') % 26)::INTEGER) AS l
      FROM cust_ver v JOIN cust USING (c)),
    e AS (
      SELECT *,
        CASE efmt WHEN 0 THEN fn || '.' || ln
          WHEN 1 THEN fn || '.' || ln || (c % 97)::VARCHAR
          WHEN 2 THEN fn[1] || ln || (100 + c % 900)::VARCHAR
          WHEN 3 THEN fn || '_' || ln
          ELSE fn || (year(coalesce(dob, DATE '1990-01-01')) % 100)::VARCHAR || ln[1] END || '@' || domain AS email0
      FROM v),
    e2 AS (
      SELECT *,
        CASE WHEN ecase < 0.012 THEN upper(email0[1]) || email0[2:]
          WHEN ecase < 0.02 THEN ' ' || email0 || ' ' ELSE email0 END AS email
      FROM e),
    f AS (
      SELECT c, ord, batch, updated_at, kind, ecase < 0.02 AS email_dirty,
        struct_pack(
          customer_id := cust_id(c),
          first_name := first_name,
          last_name := last_name,
          email := email,
          phone := CASE WHEN no_phone THEN NULL ELSE ${fillHashes("phone_fmt", "pd")} END,
          address := struct_pack(
            street := ${streetSql()},
            city := cityrec.city,
            region := cityrec.region,
            postal_code := cityrec.postal || ${postalSuffixSql()},
            country := ${codes}[ci + 1]),
          date_of_birth := strftime(dob, '%Y-%m-%d'),
          signup_date := strftime(signup_ts, '%Y-%m-%d'),
          loyalty_tier := ${sqlList(LOYALTY_TIERS)}[least(3, tier0 + n_tier) + 1],
          marketing_opt_in := opt0 <> (n_opt % 2 = 1),
          updated_at := strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ')) AS rec,
        preferred_channel
      FROM e2)
    SELECT c, ord, batch, updated_at, kind, email_dirty, rec.signup_date AS signup_date,
      CASE WHEN batch >= 3 THEN to_json(struct_insert(rec, preferred_channel := preferred_channel))::VARCHAR
        ELSE to_json(rec)::VARCHAR END AS line,
      row_number() OVER (PARTITION BY batch ORDER BY updated_at, c, ord) AS rn
    FROM f`);

  // A few malformed lines per batch, each a corrupted copy of a valid line of that batch.
  await db.run(`CREATE TABLE crm_bad AS
    WITH n AS (SELECT batch, count(*) AS rows FROM crm_valid GROUP BY batch),
    j AS (SELECT batch, rows, unnest(range(4 + rows // 5000)) AS j FROM n),
    s AS (SELECT j.batch, j.j, 1 + floor(u3(j.batch, j.j, 'bad_row') * j.rows)::BIGINT AS rn, u3(j.batch, j.j, 'bad_how') AS r FROM j)
    SELECT v.c, v.ord, v.batch, v.updated_at, s.j, ${sqlList([...CRM_MALFORMED_KINDS])}[s.j % 4 + 1] AS bad_kind,
      CASE s.j % 4
        WHEN 0 THEN left(v.line, (length(v.line) * (0.3 + 0.5 * s.r))::INTEGER)
        WHEN 1 THEN replace(v.line, '"customer_id":' || cust_id(v.c)::VARCHAR || ',',
          '"customer_id":"' || pick(['abc', 'N/A', 'CUST-' || cust_id(v.c)::VARCHAR, '#REF!'], s.r) || '",')
        WHEN 2 THEN replace(v.line, '"signup_date":"' || v.signup_date || '"',
          '"signup_date":"' || pick(['not-a-date', '31/02/2024', '2024-13-45', 'yesterday'], s.r) || '"')
        ELSE replace(replace(v.line, '"marketing_opt_in":true', '"marketing_opt_in":"yes"'), '"marketing_opt_in":false', '"marketing_opt_in":"no"')
      END AS line
    FROM s JOIN crm_valid v ON v.batch = s.batch AND v.rn = s.rn`);

  await db.run(`CREATE TABLE crm_out AS
    SELECT batch, updated_at, c, ord, 0 AS sub, line FROM crm_valid
    UNION ALL SELECT batch, updated_at, c, ord, 1 + j AS sub, line FROM crm_bad
    ORDER BY batch, updated_at, c, ord, sub`);

  await singleThreaded(db);
  const files: FileReport[] = [];
  for (let b = 1; b <= batches; b++) {
    const rel = batchFile("crm", "customers", b, "json");
    const path = join(ctx.out, rel);
    await copyLines(db, `SELECT line FROM crm_out WHERE batch = ${b} ORDER BY updated_at, c, ord, sub`, path);
    const rows = Number((await db.query(`SELECT count(*) AS n FROM crm_out WHERE batch = ${b}`)).rows[0]!["n"]);
    files.push({ path: rel, batch: b, rows, bytes: fileBytes(path) });
  }

  const stat = (await db.query(`SELECT
      (SELECT count(*) FROM crm_valid) AS valid,
      (SELECT count(*) FROM crm_valid WHERE ord > 0) AS updates,
      (SELECT count(*) FROM crm_valid WHERE email_dirty) AS dirty,
      (SELECT count(*) FROM (SELECT c, batch FROM crm_valid WHERE ord > 0 GROUP BY ALL HAVING count(*) > 1)) AS twice,
      (SELECT count(*) FROM crm_valid WHERE batch >= 3) AS with_new_col`)).rows[0]!;
  const bad = await db.query(`SELECT bad_kind, count(*) AS n FROM crm_bad GROUP BY bad_kind`);
  const anomalies: Record<string, number> = {};
  for (const k of CRM_MALFORMED_KINDS) anomalies[`malformed_${k}`] = 0;
  for (const r of bad.rows) anomalies[`malformed_${String(r["bad_kind"])}`] = Number(r["n"]);
  anomalies["profile_updates"] = Number(stat["updates"]);
  anomalies["customers_updated_twice_in_one_batch"] = Number(stat["twice"]);
  anomalies["emails_not_normalized"] = Number(stat["dirty"]);
  anomalies["rows_with_new_column_preferred_channel"] = Number(stat["with_new_col"]);
  return {
    source: "crm",
    format: "jsonl",
    files,
    rows: files.reduce((s, f) => s + f.rows, 0),
    anomalies,
    facts: { distinct_customers: NC, valid_lines: Number(stat["valid"]), new_column_from_batch: batches >= 3 ? 3 : 0 },
  };
}
