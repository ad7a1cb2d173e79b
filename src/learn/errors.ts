/**
 * Typed errors of the learning app (quiz, exercises, assignments, progress). Same shape as the
 * lakehouse's: a stable code, and a message that says what to do.
 */
import { LakehouseError } from "../lakehouse/errors.js";

export class LearnError extends LakehouseError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(code, message, params);
  }
}

/** The message without its `[CODE] ` prefix, for reports written for people (gradebooks, feedback). */
export function plainMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^\[[A-Z0-9_.]+\] /, "");
}
