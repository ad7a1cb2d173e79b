/**
 * Typed errors of the streaming engine and Auto Loader. Codes follow Spark / Delta / Databricks
 * error classes where one exists, so a learner can search for the same message they would see
 * on a cluster; every message ends with what to do about it.
 */
import { LakehouseError } from "../errors.js";

/** An operation Structured Streaming (or this local engine) does not support on a stream. */
export class UnsupportedStreamingOperationError extends LakehouseError {
  /** `message` says what is unsupported and what to do instead. */
  constructor(operation: string, message: string, params: Record<string, unknown> = {}, code = "STREAMING_UNSUPPORTED_OPERATION") {
    super(code, message, { operation, ...params }, "0A000");
  }
}

/** A streaming option or argument that is invalid. */
export class InvalidStreamingOptionError extends LakehouseError {
  constructor(message: string, params: Record<string, unknown> = {}, code = "INVALID_STREAMING_OPTION") {
    super(code, message, params, "42K06");
  }
}

/** The query failed; `cause` is the error that stopped it (Spark's StreamingQueryException). */
export class StreamingQueryException extends LakehouseError {
  override readonly cause: Error;
  /** Code of the underlying error (e.g. UNKNOWN_FIELD_EXCEPTION.NEW_FIELDS_IN_RECORD_WITH_FILE_PATH). */
  readonly causeCode: string | undefined;
  constructor(queryId: string, runId: string, cause: Error) {
    const causeCode = cause instanceof LakehouseError ? cause.code : undefined;
    super("STREAM_FAILED", `Query [id = ${queryId}, runId = ${runId}] terminated with exception: ${cause.message}`, { queryId, runId, causeCode });
    this.cause = cause;
    this.causeCode = causeCode;
  }
}

/**
 * Auto Loader met columns that are not in its schema (Databricks' UnknownFieldException). With
 * schemaEvolutionMode addNewColumns the schema location already holds the evolved schema and a
 * restart succeeds (`retryable`); with failOnNewColumns it does not.
 */
export class UnknownFieldException extends LakehouseError {
  constructor(readonly newFields: string[], file: string, readonly retryable: boolean, detail: string) {
    super("UNKNOWN_FIELD_EXCEPTION.NEW_FIELDS_IN_RECORD_WITH_FILE_PATH",
      `Encountered unknown fields during parsing: [${newFields.join(", ")}] in file ${file}, which can be fixed by an automatic retry: ${retryable}. ${detail}`,
      { newFields, file, retryable }, "KD003");
  }
}

/** Delta streaming source met a commit that changes existing data. */
export class DeltaSourceChangeError extends LakehouseError {
  constructor(code: "DELTA_SOURCE_TABLE_IGNORE_CHANGES" | "DELTA_SOURCE_IGNORE_DELETE", message: string, params: Record<string, unknown>) {
    super(code, message, params, "0A000");
  }
}
