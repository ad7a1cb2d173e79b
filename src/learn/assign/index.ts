export * from "./types.js";
export { parseLatePenalty, describePenalty, daysLate, penaltyFraction } from "./penalty.js";
export { createAssignment, parseIdList, parsePoints, slug, type CreateOptions } from "./create.js";
export { readAssignmentFile, parseAssignment, readSubmissionFile, parseSubmission } from "./files.js";
export { startAssignment, buildSubmission, submissionFileName, answersTemplate, defaultWorkDir, taskFile, ANSWERS_FILE, type StartResult, type SubmitResult } from "./learner.js";
export { gradeSubmissions, gradebookCsv, csvCell, type GradeBatchOptions, type GradeBatchResult } from "./grade.js";
