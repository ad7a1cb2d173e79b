export { loadBank, defaultQuizzesRoot, formatProblem, BankError, type Bank, type BankProblem, type SqlExerciseSpec, type TsExerciseSpec } from "./load.js";
