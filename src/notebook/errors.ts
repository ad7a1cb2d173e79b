/**
 * Failure modes, live: run something that is supposed to fail, catch the error and show it the
 * way a learner meets it on Databricks (error class, SQLSTATE, message), instead of a stack
 * trace that stops the notebook.
 *
 * @example
 *   await expectError(() => spark.sql("MERGE INTO …"), "DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE");
 */
import { escapeHtml, html } from "./display.js";
import { box, MONO } from "./html.js";

/** The fields of an error worth showing: the lakehouse's typed errors carry code and SQLSTATE. */
export interface ErrorInfo {
  name: string;
  code?: string;
  sqlState?: string;
  message: string;
  /** For a failed streaming query: the code of the error that stopped it. */
  causeCode?: string;
}

export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    const x = e as Error & { code?: unknown; sqlState?: unknown; causeCode?: unknown };
    return {
      name: e.name,
      ...(typeof x.code === "string" ? { code: x.code } : {}),
      ...(typeof x.sqlState === "string" ? { sqlState: x.sqlState } : {}),
      ...(typeof x.causeCode === "string" ? { causeCode: x.causeCode } : {}),
      message: e.message,
    };
  }
  return { name: typeof e, message: String(e) };
}

/** Displays an error as a red box: class, code, SQLSTATE, message. */
export function showError(e: unknown, title = "Error", metadata: Record<string, unknown> = {}): void {
  const i = errorInfo(e);
  const codes = [i.code && `error class ${i.code}`, i.causeCode && `caused by ${i.causeCode}`, i.sqlState && `SQLSTATE ${i.sqlState}`].filter(Boolean).join(" · ");
  const body = `<div style="${MONO} margin-bottom: 4px;">${escapeHtml(i.name)}${codes ? ` — ${escapeHtml(codes)}` : ""}</div>`
    + `<div style="white-space: pre-wrap;">${escapeHtml(i.message)}</div>`;
  html(box("fail", title, body), `${title}: ${i.name}${codes ? ` (${codes})` : ""}\n${i.message}`, metadata);
}

/**
 * Runs `fn`, which is expected to fail, and displays the error. With `code`, the error's code
 * (or, for a failed stream, its cause's code) must match; an unexpected success or a different
 * error is shown as a failed expectation (and recorded in the output's metadata, which the
 * notebook tests check). Resolves to nothing, so that a cell ending with it prints nothing more;
 * use `errorInfo` on a caught error to inspect it in code.
 */
export async function expectError(fn: () => unknown, code?: string): Promise<void> {
  let caught: unknown;
  let failed = false;
  try {
    await fn();
  } catch (e) {
    caught = e;
    failed = true;
  }
  if (!failed) {
    const msg = `Expected ${code ? `an error ${code}` : "an error"}, but it succeeded.`;
    html(box("warn", "No error", escapeHtml(msg)), msg, { "c360-check": { id: `expectError:${code ?? "any"}`, passed: false } });
    return;
  }
  const info = errorInfo(caught);
  const matches = !code || info.code === code || info.causeCode === code || info.code?.startsWith(`${code}.`) === true || info.causeCode?.startsWith(`${code}.`) === true;
  if (!matches) {
    showError(caught, `Unexpected error (expected ${code})`, { "c360-check": { id: `expectError:${code}`, passed: false } });
    return;
  }
  showError(caught, "Expected failure");
}
