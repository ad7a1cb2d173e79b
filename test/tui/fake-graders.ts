/** The fixture graders as a module, for the CLI's hidden --graders option. */
import { fakeGraders } from "./fixtures.js";

export const gradeItem = fakeGraders.gradeItem;
export const gradeSql = fakeGraders.gradeSql;
export const gradeTs = fakeGraders.gradeTs;
