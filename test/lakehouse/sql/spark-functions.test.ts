/** Spark SQL function names work in spark.sql, as learners type them on Databricks. */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SparkSession } from "../../../src/lakehouse/sql/session.js";
import { removeDir, tempDir } from "../../helpers.js";

let spark: SparkSession;
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  spark = await SparkSession.create({ warehouse: join(dir, "wh") });
});
afterAll(() => {
  spark.stop();
  removeDir(dir);
});

it("nvl, collect_list/collect_set, size, to_date, date_add, sha2, get_json_object, percentile_approx", async () => {
  const [r] = await (await spark.sql(`SELECT nvl(NULL, 7) AS a, collect_list(x) AS l, size(collect_set(x % 2)) AS s, to_date('2024-01-02') AS d,
      date_add(DATE '2024-01-31', 1) AS d2, sha2('a', 256) AS h, get_json_object('{"k": {"v": 3}}', '$.k.v') AS j, percentile_approx(x, 0.5) AS p
    FROM (SELECT unnest([1, 2, 3, NULL]) AS x)`)).collect();
  expect(r).toEqual({ a: 7, l: [1, 2, 3], s: 2n, d: "2024-01-02", d2: "2024-02-01", h: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", j: "3", p: 2 });
});
