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
  // TODO: warn keeps, drop removes, fail throws ExpectationFailure.
  return { rows, metrics: {} };
}
