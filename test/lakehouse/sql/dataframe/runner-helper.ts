/**
 * A QueryRunner over an in-memory DuckDB for the DataFrame tests: runs the generated SQL as is
 * (table names are plain DuckDB tables), describes with DESCRIBE, and records writes.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { QueryResult, QueryRunner, Row, WriteSpec } from "../../../../src/lakehouse/sql/dataframe/index.js";

export class TestRunner implements QueryRunner {
  readonly queries: string[] = [];
  readonly describes: string[] = [];
  readonly writes: { sql: string; spec: WriteSpec }[] = [];

  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async create(): Promise<TestRunner> {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const r = new TestRunner(instance, conn);
    await conn.run("SET TimeZone = 'UTC'");
    await conn.run(`CREATE TABLE people(id BIGINT, name VARCHAR, city VARCHAR, amount DECIMAL(10,2), ts TIMESTAMP)`);
    await conn.run(`INSERT INTO people VALUES
      (1, 'Alice', 'Paris', 120.50, '2024-01-05 10:00:00'),
      (2, 'Bob',   'Lyon',   80.00, '2024-01-06 11:30:00'),
      (3, 'Chloe', 'Paris',  45.25, '2024-02-01 09:15:00'),
      (4, 'David', NULL,    300.00, '2024-02-10 18:45:00'),
      (5, 'Emma',  'Lyon',    NULL, '2024-03-03 08:00:00'),
      (6, 'Alice', 'Nice',   15.00, '2024-03-15 12:00:00')`);
    await conn.run(`CREATE TABLE orders(order_id BIGINT, person_id BIGINT, product VARCHAR, qty INTEGER, price DOUBLE, tags VARCHAR[])`);
    await conn.run(`INSERT INTO orders VALUES
      (10, 1, 'book', 2, 12.5, ['a', 'b']),
      (11, 1, 'pen', 10, 1.2, ['a']),
      (12, 2, 'book', 1, 12.5, []),
      (13, 3, 'lamp', 1, 40.0, NULL),
      (14, 9, 'desk', 1, 150.0, ['x'])`);
    await conn.run(`CREATE TABLE more_people(id BIGINT, name VARCHAR, email VARCHAR)`);
    await conn.run(`INSERT INTO more_people VALUES (7, 'Farid', 'farid@example.com'), (8, 'Gina', NULL)`);
    return r;
  }

  async runQuery(sql: string): Promise<QueryResult> {
    this.queries.push(sql);
    const reader = await this.conn.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows: reader.getRowObjectsJS() as unknown as Row[] };
  }

  async describeQuery(sql: string): Promise<{ name: string; type: string }[]> {
    this.describes.push(sql);
    const reader = await this.conn.runAndReadAll(`DESCRIBE ${sql}`);
    return reader.getRowObjectsJS().map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }));
  }

  async write(sql: string, spec: WriteSpec): Promise<void> {
    this.writes.push({ sql, spec });
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
