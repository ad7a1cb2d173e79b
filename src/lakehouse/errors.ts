/**
 * Typed errors of the lakehouse. Every condition a user can hit has its own class with a stable
 * `code` (Delta's error class names where Delta has one) and a message that ends with what the
 * user can do about it. DuckDB errors are wrapped at the engine boundary, so no bare `Error`
 * reaches a learner.
 */
export class LakehouseError extends Error {
  readonly code: string;
  readonly sqlState?: string;
  readonly params: Record<string, unknown>;

  constructor(code: string, message: string, params: Record<string, unknown> = {}, sqlState?: string) {
    super(`[${code}] ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.params = params;
    this.sqlState = sqlState;
  }
}

/** A statement the SQL front cannot parse. */
export class ParseError extends LakehouseError {
  constructor(message: string, params: { position?: number; sql?: string } = {}) {
    super("PARSE_SYNTAX_ERROR", message, params, "42601");
  }
}
