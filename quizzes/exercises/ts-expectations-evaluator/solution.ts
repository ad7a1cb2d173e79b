export type Action = "warn" | "drop" | "fail";
export interface Expectation<Row> { name: string; check: (row: Row) => boolean | null | undefined; action: Action }
export type Metrics = Record<string, { passed: number; failed: number }>;

export class ExpectationFailure extends Error {
  constructor(readonly expectation: string, readonly rowIndex: number) {
    super(`expectation '${expectation}' failed on row ${rowIndex}`);
    this.name = "ExpectationFailure";
  }
}

export function applyExpectations<Row>(rows: Row[], expectations: Expectation<Row>[]): { rows: Row[]; metrics: Metrics } {
  const metrics: Metrics = {};
  for (const e of expectations) {
    if (e.name in metrics) throw new Error(`duplicate expectation name: ${e.name}`);
    metrics[e.name] = { passed: 0, failed: 0 };
  }
  const kept: Row[] = [];
  rows.forEach((row, index) => {
    let drop = false;
    let failed: string | undefined;
    for (const e of expectations) {
      let ok = false;
      try {
        ok = e.check(row) === true;
      } catch {
        ok = false;
      }
      if (ok) metrics[e.name]!.passed++;
      else {
        metrics[e.name]!.failed++;
        if (e.action === "drop") drop = true;
        if (e.action === "fail" && failed === undefined) failed = e.name;
      }
    }
    if (failed !== undefined) throw new ExpectationFailure(failed, index);
    if (!drop) kept.push(row);
  });
  return { rows: kept, metrics };
}
