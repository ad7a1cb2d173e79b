/**
 * The protocol validator accepts the real tables of the conformance pack, accepts every table
 * our writer produces (through every operation), and catches damage.
 */
import { readdirSync, existsSync, rmSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SparkSession } from "../../../src/lakehouse/sql/session.js";
import { DataFrame } from "../../../src/lakehouse/sql/dataframe/index.js";
import { validateTable } from "../../../src/lakehouse/kernel/validate.js";
import { quoteString } from "../../../src/lakehouse/engine/duckdb.js";
import { CONFORMANCE, copyTable, removeDir, tempDir } from "../../helpers.js";

let dir: string;
let spark: SparkSession;
const countRows = async (p: string) => Number((await spark.db.query(`SELECT count(*) AS n FROM read_parquet(${quoteString(p)})`)).rows[0]!["n"]);

beforeAll(async () => {
  dir = tempDir();
  spark = await SparkSession.create({ warehouse: join(dir, "wh") });
});
afterAll(() => {
  spark.stop();
  removeDir(dir);
});

describe("protocol validator", () => {
  for (const t of readdirSync(CONFORMANCE).filter((x) => existsSync(join(CONFORMANCE, x, "EXPECTED.json")))) {
    it(`accepts conformance table ${t}`, async () => {
      expect(await validateTable(spark.engine, join(CONFORMANCE, t), { countRows })).toEqual([]);
    });
  }

  it("accepts every table our writer produces", async () => {
    const root = join(dir, "ours");
    const t = `delta.\`${root}\``;
    await spark.sql(`CREATE TABLE ${t} (id BIGINT NOT NULL, region STRING, ts TIMESTAMP, amount DECIMAL(10,2)) USING DELTA PARTITIONED BY (region) TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')`);
    await spark.sql(`INSERT INTO ${t} SELECT range, ['eu','us',NULL,'a/b=c'][1 + range % 4], TIMESTAMP '2024-01-01' + INTERVAL (range) MINUTE, range / 7 FROM range(400)`);
    await spark.sql(`UPDATE ${t} SET amount = amount * 2 WHERE region = 'eu'`);
    await spark.sql(`DELETE FROM ${t} WHERE id % 10 = 0`);
    await spark.sql(`MERGE INTO ${t} AS x USING (SELECT range AS id, 'us' AS region, TIMESTAMP '2025-01-01' AS ts, 1.00 AS amount FROM range(390, 410)) AS s ON x.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`);
    await spark.sql(`ALTER TABLE ${t} ADD COLUMNS (note STRING)`);
    for (let i = 0; i < 6; i++) await spark.sql(`INSERT INTO ${t} VALUES (${1000 + i}, 'eu', NULL, 1.5, 'n')`);
    await DataFrame.fromSql(spark, "SELECT 5000::BIGINT AS id, 'zz' AS region").write.mode("append").save(root);
    await spark.sql(`INSERT OVERWRITE ${t} REPLACE WHERE region = 'zz' SELECT 5001, 'zz', NULL, 2.0, 'r'`);
    await spark.sql(`RESTORE TABLE ${t} TO VERSION AS OF 3`);
    expect(readdirSync(join(root, "_delta_log"))).toContain("00000000000000000010.checkpoint.parquet");
    expect(await validateTable(spark.engine, root, { countRows, requireCommitInfo: true })).toEqual([]);
  });

  it("reports a missing data file and a wrong file size", async () => {
    const root = copyTable("simple_table", dir);
    const live = readdirSync(root).filter((f) => f.startsWith("part-00001-7891c33d"));
    rmSync(join(root, live[0]!));
    appendFileSync(join(root, "part-00004-315835fe-fb44-4562-98f6-5e6cfa3ae45d-c000.snappy.parquet"), "junk");
    const v = await validateTable(spark.engine, root);
    expect(v.map((x) => x.rule).sort()).toEqual(["file.exists", "file.size"]);
  });
});
