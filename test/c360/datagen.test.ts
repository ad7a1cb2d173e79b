/**
 * The Customer 360 data generator: determinism (same seed ⇒ same bytes, whatever the thread
 * count), sizes, every planted anomaly visible by querying the files with DuckDB, the report
 * agreeing with the files, the committed sample equal to a fresh generation, and the CLI hook.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { DuckDb } from "../../src/lakehouse/engine/duckdb.js";
import { generateDatasets, hashTree, registerDatagenCommand, type DatagenReport } from "../../src/c360/datagen/index.js";
import { removeDir, tempDir } from "../helpers.js";

const SAMPLE = join(import.meta.dirname, "../../datasets/sample");

let root: string;
let a: string;
let report: DatagenReport;
let db: DuckDb;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.query(sql)).rows;
}
async function one(sql: string): Promise<Record<string, unknown>> {
  return (await rows(sql))[0]!;
}
const num = (v: unknown) => Number(v);

/** Every line of the CRM files as text, with its batch number. */
function crmLines(dir: string): string {
  return `(SELECT line, json_valid(line) AS ok, CASE WHEN json_valid(line) THEN line::JSON END AS js,
      regexp_extract(filename, 'batch_(\\d+)', 1)::INTEGER AS batch
    FROM read_csv('${dir}/crm/*.json', columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', quote = '', escape = '',
      filename = true, auto_detect = false))`;
}
function txRows(dir: string): string {
  return `(SELECT *, regexp_extract(filename, 'batch_(\\d+)', 1)::INTEGER AS batch
    FROM read_csv('${dir}/transactions/*.csv', header = true, all_varchar = true, filename = true))`;
}
function clicks(dir: string): string {
  return `(SELECT *, regexp_extract(filename, 'batch_(\\d+)', 1)::INTEGER AS batch FROM read_parquet('${dir}/clickstream/*.parquet', filename = true))`;
}
function cdc(dir: string): string {
  return `(SELECT *, regexp_extract(filename, 'batch_(\\d+)', 1)::INTEGER AS batch
    FROM read_json('${dir}/support_tickets/*.json', format = 'newline_delimited', filename = true))`;
}

beforeAll(async () => {
  root = tempDir("c360-datagen-");
  a = join(root, "a");
  report = await generateDatasets({ scale: 0.002, out: a });
  db = await DuckDb.open();
});

afterAll(() => {
  db?.close();
  removeDir(root);
});

describe("determinism", () => {
  it("gives byte-identical files for the same seed and scale, whatever the thread count", async () => {
    const b = join(root, "b");
    await generateDatasets({ scale: 0.002, out: b, threads: 1 });
    const ha = hashTree(a);
    expect(Object.keys(ha)).toHaveLength(17); // 4 sources × 4 batches + manifest.json
    expect(hashTree(b)).toEqual(ha);
  });

  it("gives different data for another seed, and honours the batch count", async () => {
    const c = join(root, "c");
    const r = await generateDatasets({ scale: 0.002, out: c, seed: 7, batches: 2 });
    expect(r.batches).toBe(2);
    expect(readdirSync(join(c, "crm"))).toEqual(["customers_batch_0001.json", "customers_batch_0002.json"]);
    expect(readFileSync(join(c, "transactions/transactions_batch_0001.csv"))).not.toEqual(readFileSync(join(a, "transactions/transactions_batch_0001.csv")));
  });

  it("rejects bad options", async () => {
    await expect(generateDatasets({ scale: 0, out: join(root, "x") })).rejects.toThrow(/scale/);
    await expect(generateDatasets({ scale: 0.01, out: join(root, "x"), batches: 0 })).rejects.toThrow(/batches/);
    await expect(generateDatasets({ scale: 0.01, out: join(root, "x"), seed: 1.5 })).rejects.toThrow(/seed/);
  });
});

describe("layout and sizes at scale 0.002", () => {
  it("writes four numbered batches per source and a manifest without timings", () => {
    for (const [dir, prefix, ext] of [["crm", "customers", "json"], ["transactions", "transactions", "csv"], ["clickstream", "clickstream", "parquet"], ["support_tickets", "tickets_cdc", "json"]]) {
      expect(readdirSync(join(a, dir!))).toEqual([1, 2, 3, 4].map((b) => `${prefix}_batch_000${b}.${ext}`));
    }
    const manifest = JSON.parse(readFileSync(join(a, "manifest.json"), "utf8"));
    expect(manifest.seed).toBe(360);
    expect(manifest.elapsedMs).toBeUndefined();
    expect(manifest.sources.map((s: { source: string }) => s.source)).toEqual(["crm", "transactions", "clickstream", "support_tickets"]);
    expect(report.elapsedMs).toBeGreaterThan(0);
  });

  it("has row counts in the expected ranges", async () => {
    const crm = await one(`SELECT count(DISTINCT js->>'customer_id') FILTER (WHERE json_type(js, '$.customer_id') = 'UBIGINT') AS customers, count(*) AS lines FROM ${crmLines(a)}`);
    expect(num(crm["customers"])).toBe(200);
    expect(num(crm["lines"])).toBeGreaterThan(230);
    expect(num(crm["lines"])).toBeLessThan(320);
    const tx = await one(`SELECT count(*) AS n, count(DISTINCT transaction_id) AS d FROM ${txRows(a)}`);
    expect(num(tx["d"])).toBe(4000);
    expect(num(tx["n"])).toBeGreaterThan(4000);
    expect(num(tx["n"])).toBeLessThan(4100);
    const ev = await one(`SELECT count(*) AS n FROM ${clicks(a)}`);
    expect(num(ev["n"])).toBeGreaterThan(17_000);
    expect(num(ev["n"])).toBeLessThan(23_000);
    const tk = await one(`SELECT count(*) AS n, count(DISTINCT ticket_id) AS t FROM ${cdc(a)}`);
    expect(num(tk["n"])).toBeGreaterThan(300);
    expect(num(tk["n"])).toBeLessThan(500);
    // The report counts what is in the files.
    const byName = Object.fromEntries(report.sources.map((s) => [s.source, s]));
    expect(byName["crm"]!.rows).toBe(num(crm["lines"]));
    expect(byName["transactions"]!.rows).toBe(num(tx["n"]));
    expect(byName["clickstream"]!.rows).toBe(num(ev["n"]));
    expect(byName["support_tickets"]!.rows).toBe(num(tk["n"]));
    expect(byName["support_tickets"]!.facts["tickets"]).toBe(num(tk["t"]));
  });
});

describe("CRM anomalies", () => {
  it("has malformed lines of every kind in every batch", async () => {
    const r = await rows(`SELECT batch,
        count(*) FILTER (WHERE NOT ok) AS truncated,
        count(*) FILTER (WHERE json_type(js, '$.customer_id') = 'VARCHAR') AS bad_id,
        count(*) FILTER (WHERE ok AND try_cast(js->>'signup_date' AS DATE) IS NULL) AS bad_date,
        count(*) FILTER (WHERE json_type(js, '$.marketing_opt_in') = 'VARCHAR') AS bad_bool
      FROM ${crmLines(a)} GROUP BY batch ORDER BY batch`);
    expect(r).toHaveLength(4);
    for (const b of r) for (const k of ["truncated", "bad_id", "bad_date", "bad_bool"]) expect(num(b[k]), `${k} in batch ${b["batch"]}`).toBeGreaterThan(0);
    const crm = report.sources.find((s) => s.source === "crm")!;
    expect(crm.anomalies["malformed_truncated_json"]).toBe(r.reduce((s, b) => s + num(b["truncated"]), 0));
    // The malformed ones are extra copies: every valid line still parses into a full profile.
    const strict = await one(`SELECT count(*) AS n FROM read_json('${a}/crm/*.json', format = 'newline_delimited', ignore_errors = true)`);
    expect(num(strict["n"])).toBeGreaterThan(200);
  });

  it("adds preferred_channel from batch 3 on, in every valid line there", async () => {
    const r = await rows(`SELECT batch, count(*) FILTER (WHERE json_exists(js, '$.preferred_channel')) AS with_col, count(*) FILTER (WHERE ok) AS valid
      FROM ${crmLines(a)} GROUP BY batch ORDER BY batch`);
    expect(r.map((b) => num(b["with_col"]) > 0)).toEqual([false, false, true, true]);
    for (const b of r.slice(2)) expect(num(b["with_col"])).toBe(num(b["valid"]));
  });

  it("carries later versions of existing customers with a later updated_at and something changed", async () => {
    const r = await one(`WITH v AS (
        SELECT (js->>'customer_id')::BIGINT AS id, (js->>'updated_at')::TIMESTAMP AS ts, js->>'email' AS email, js->'address' AS addr,
          js->>'loyalty_tier' AS tier, js->>'phone' AS phone, js->>'marketing_opt_in' AS opt, batch
        FROM ${crmLines(a)} WHERE json_type(js, '$.customer_id') = 'UBIGINT' AND try_cast(js->>'signup_date' AS DATE) IS NOT NULL
          AND json_type(js, '$.marketing_opt_in') = 'BOOLEAN'),
      p AS (SELECT *, lag(email) OVER w AS pe, lag(addr) OVER w AS pa, lag(tier) OVER w AS pt, lag(batch) OVER w AS pb, lag(ts) OVER w AS pts
        FROM v WINDOW w AS (PARTITION BY id ORDER BY ts))
      SELECT count(*) FILTER (WHERE pb IS NOT NULL) AS updates,
        count(*) FILTER (WHERE pb IS NOT NULL AND batch < pb) AS older_batch,
        count(*) FILTER (WHERE pe <> email) AS email_changes, count(*) FILTER (WHERE pa::VARCHAR <> addr::VARCHAR) AS moves,
        count(*) FILTER (WHERE pt <> tier) AS tier_changes, count(DISTINCT id) AS ids
      FROM p`);
    expect(num(r["ids"])).toBe(200);
    expect(num(r["updates"])).toBeGreaterThan(20);
    expect(num(r["older_batch"])).toBe(0);
    expect(num(r["email_changes"])).toBeGreaterThan(0);
    expect(num(r["moves"])).toBeGreaterThan(0);
    expect(num(r["tier_changes"])).toBeGreaterThan(0);
  });

  it("contains PII (emails, phones, addresses, birth dates)", async () => {
    const r = await one(`SELECT count(*) FILTER (WHERE js->>'email' LIKE '%@%.%') AS emails, count(js->>'phone') AS phones,
        count(js->'address'->>'postal_code') AS postal, count(js->>'date_of_birth') AS dob FROM ${crmLines(a)} WHERE ok`);
    for (const k of ["emails", "phones", "postal", "dob"]) expect(num(r[k])).toBeGreaterThan(150);
  });
});

describe("transaction anomalies", () => {
  it("has exact duplicates, bad amounts, several currencies and unknown customers", async () => {
    const r = await one(`SELECT
        (SELECT count(*) FROM (SELECT transaction_id FROM ${txRows(a)} GROUP BY ALL HAVING count(*) > 1)) AS dup_groups,
        count(*) FILTER (WHERE amount IS NULL) AS empty_amount,
        count(*) FILTER (WHERE amount = 'N/A') AS na_amount,
        count(*) FILTER (WHERE try_cast(amount AS DOUBLE) < 0) AS negative,
        count(*) FILTER (WHERE try_cast(amount AS DOUBLE) > 5000000) AS huge,
        count(DISTINCT currency) AS currencies,
        count(DISTINCT channel) AS channels
      FROM ${txRows(a)}`);
    expect(num(r["dup_groups"] ?? 0)).toBeGreaterThan(0);
    for (const k of ["empty_amount", "na_amount", "negative", "huge"]) expect(num(r[k]), k).toBeGreaterThan(0);
    expect(num(r["currencies"])).toBeGreaterThanOrEqual(4);
    expect(num(r["channels"])).toBe(3);
    const dups = await one(`SELECT sum(n - 1) AS extra, count(*) FILTER (WHERE batches > 1) AS across FROM (
        SELECT count(*) AS n, count(DISTINCT batch) AS batches FROM ${txRows(a)}
        GROUP BY transaction_id, customer_id, order_ts, amount, currency, channel, store_id, product_category, quantity, payment_method
        HAVING count(*) > 1)`);
    const tx = report.sources.find((s) => s.source === "transactions")!;
    expect(num(dups["extra"])).toBe(tx.anomalies["duplicate_rows_same_batch"]! + tx.anomalies["duplicate_rows_next_batch"]!);
    expect(num(dups["across"])).toBeGreaterThan(0);
    const crmIds = `(SELECT DISTINCT (js->>'customer_id') AS id FROM ${crmLines(a)} WHERE json_type(js, '$.customer_id') = 'UBIGINT')`;
    const unknown = await one(`SELECT count(*) AS n FROM ${txRows(a)} WHERE customer_id NOT IN ${crmIds}`);
    expect(num(unknown["n"])).toBe(tx.anomalies["unknown_customer_id"]);
  });

  it("delivers late rows: order_ts before the window of the batch they arrive in", async () => {
    const windows = report.windows.map((w) => `(${w.batch}, TIMESTAMP '${w.from}')`).join(", ");
    const r = await rows(`SELECT t.batch, count(*) FILTER (WHERE t.order_ts::TIMESTAMP < w.start) AS late,
        min(t.order_ts::TIMESTAMP - w.start) AS earliest
      FROM ${txRows(a)} t JOIN (VALUES ${windows}) w(batch, start) ON w.batch = t.batch GROUP BY t.batch ORDER BY t.batch`);
    expect(num(r[0]!["late"])).toBe(0);
    expect(r.slice(1).reduce((s, b) => s + num(b["late"]), 0)).toBeGreaterThan(10);
  });
});

describe("clickstream", () => {
  it("has bursts of events split by gaps over 30 minutes, anonymous visitors and purchases after add_to_cart", async () => {
    const r = await one(`WITH e AS (
        SELECT DISTINCT ON (event_id) * EXCLUDE (filename, batch) FROM ${clicks(a)}),
      g AS (SELECT *, event_ts - lag(event_ts) OVER (PARTITION BY device_id ORDER BY event_ts, event_id) AS gap FROM e),
      s AS (SELECT *, sum(CASE WHEN gap IS NULL OR gap > INTERVAL 30 MINUTE THEN 1 ELSE 0 END)
          OVER (PARTITION BY device_id ORDER BY event_ts, event_id ROWS UNBOUNDED PRECEDING) AS sid FROM g),
      p AS (SELECT device_id, sid, event_ts, event_type,
          count(*) FILTER (WHERE event_type = 'add_to_cart') OVER (PARTITION BY device_id, sid ORDER BY event_ts, event_id ROWS UNBOUNDED PRECEDING) AS carts
        FROM s)
      SELECT (SELECT count(*) FROM g WHERE gap > INTERVAL 30 MINUTE) AS long_gaps,
        (SELECT count(*) FROM g WHERE gap BETWEEN INTERVAL 5 MINUTE AND INTERVAL 30 MINUTE) AS pauses,
        (SELECT median(gap) FROM g WHERE gap <= INTERVAL 30 MINUTE) AS median_gap,
        (SELECT count(DISTINCT (device_id, sid)) FROM s) AS sessions,
        (SELECT count(*) FROM e WHERE customer_id IS NULL) AS anonymous,
        (SELECT count(*) FROM e) AS events,
        (SELECT count(*) FROM p WHERE event_type = 'purchase') AS purchases,
        (SELECT count(*) FROM p WHERE event_type = 'purchase' AND carts > 0) AS purchases_after_cart,
        (SELECT count(DISTINCT event_type) FROM e) AS types`);
    expect(num(r["long_gaps"])).toBeGreaterThan(100);
    expect(num(r["pauses"])).toBeGreaterThan(10);
    expect(String(r["median_gap"])).toMatch(/^00:00:[0-9]{2}/);
    expect(num(r["sessions"])).toBeGreaterThan(1000);
    expect(num(r["anonymous"]) / num(r["events"])).toBeGreaterThan(0.2);
    expect(num(r["anonymous"]) / num(r["events"])).toBeLessThan(0.8);
    expect(num(r["purchases"])).toBeGreaterThan(20);
    expect(num(r["purchases_after_cart"]) / num(r["purchases"])).toBeGreaterThan(0.8);
    expect(num(r["types"])).toBeGreaterThanOrEqual(7);
  });

  it("has duplicate events and late events, as reported", async () => {
    const windows = report.windows.map((w) => `(${w.batch}, TIMESTAMP '${w.from}')`).join(", ");
    const r = await one(`SELECT
        (SELECT count(*) - count(DISTINCT event_id) FROM ${clicks(a)}) AS dups,
        (SELECT count(*) FROM ${clicks(a)} c JOIN (VALUES ${windows}) w(batch, start) USING (batch) WHERE c.event_ts < w.start) AS late`);
    const cs = report.sources.find((s) => s.source === "clickstream")!;
    expect(num(r["dups"])).toBe(cs.anomalies["duplicate_events"]);
    expect(num(r["late"])).toBe(cs.anomalies["late_events"]);
    expect(num(r["late"])).toBeGreaterThan(0);
  });
});

describe("support ticket CDC", () => {
  it("has out-of-order changes, deletes and gap-free sequence numbers", async () => {
    const r = await one(`WITH c AS (SELECT * FROM ${cdc(a)}),
      o AS (SELECT a.ticket_id FROM c a JOIN c b ON a.ticket_id = b.ticket_id AND a.sequence_num > b.sequence_num AND a.batch < b.batch)
      SELECT (SELECT count(DISTINCT ticket_id) FROM o) AS out_of_order,
        (SELECT count(*) FROM c WHERE operation = 'DELETE') AS deletes,
        (SELECT count(*) FROM c WHERE operation = 'INSERT') AS inserts,
        (SELECT count(*) FROM (SELECT ticket_id FROM c GROUP BY ticket_id HAVING max(sequence_num) <> count(*) OR min(sequence_num) <> 1)) AS gaps,
        (SELECT count(*) FROM (SELECT ticket_id FROM c GROUP BY ticket_id HAVING count(*) FILTER (WHERE operation = 'INSERT') <> 1)) AS bad_insert,
        (SELECT count(*) FROM c WHERE operation = 'INSERT' AND sequence_num <> 1) AS insert_not_first,
        (SELECT count(DISTINCT status) FROM c) AS statuses`);
    expect(num(r["out_of_order"])).toBeGreaterThan(0);
    expect(num(r["out_of_order"])).toBe(report.sources.find((s) => s.source === "support_tickets")!.anomalies["out_of_order_changes"]);
    expect(num(r["deletes"])).toBeGreaterThan(0);
    expect(num(r["gaps"])).toBe(0);
    expect(num(r["bad_insert"])).toBe(0);
    expect(num(r["insert_not_first"])).toBe(0);
    expect(num(r["statuses"])).toBe(4);
  });

  it("has bodies a word-list sentiment score can tell apart", async () => {
    const r = await one(`WITH c AS (SELECT status, operation, sequence_num, lower(body) AS b FROM ${cdc(a)} WHERE body IS NOT NULL),
      s AS (SELECT status, operation,
          len(list_filter(['thanks', 'thank', 'great', 'excellent', 'happy', 'helpful', 'appreciate', 'perfect', 'love', 'wonderful'], w -> contains(b, w)))
          - len(list_filter(['terrible', 'disappointed', 'angry', 'unacceptable', 'worst', 'broken', 'awful', 'frustrat', 'useless', 'horrible', 'poor', 'upset'], w -> contains(b, w))) AS score
        FROM c)
      SELECT avg(score) FILTER (WHERE operation = 'INSERT') AS first_message, avg(score) FILTER (WHERE status = 'closed') AS closing,
        count(*) FILTER (WHERE score > 0) AS pos, count(*) FILTER (WHERE score < 0) AS neg FROM s`);
    expect(num(r["first_message"])).toBeLessThan(0);
    expect(num(r["closing"])).toBeGreaterThan(0);
    expect(num(r["pos"])).toBeGreaterThan(20);
    expect(num(r["neg"])).toBeGreaterThan(20);
  });
});

describe("committed sample", () => {
  it("datasets/sample equals a fresh generation at scale 0.01", async () => {
    expect(existsSync(SAMPLE)).toBe(true);
    const fresh = join(root, "sample");
    await generateDatasets({ scale: 0.01, out: fresh });
    expect(hashTree(SAMPLE)).toEqual(hashTree(fresh));
  });
});

describe("CLI hook", () => {
  it("registers `datagen` on a commander program and prints the report", async () => {
    const program = new Command().name("c360").exitOverride();
    registerDatagenCommand(program);
    const out = join(root, "cli");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await program.parseAsync(["node", "c360", "datagen", "--scale", "0.002", "--out", out, "--seed", "360"]);
      const text = log.mock.calls.map((c) => String(c[0])).join("\n");
      expect(text).toMatch(/crm \(jsonl\)/);
      expect(text).toMatch(/generated in/);
      await program.parseAsync(["node", "c360", "datagen", "--scale", "0.002", "--out", out, "--json"]);
      const json = JSON.parse(String(log.mock.calls.at(-1)![0]));
      expect(json.sources).toHaveLength(4);
    } finally {
      log.mockRestore();
    }
    expect(hashTree(out)).toEqual(hashTree(a));
  });
});
