export * from "./sources.js";
export * from "./random.js";
export * from "./present.js";
export * from "./select.js";
export * from "./stats.js";
export * from "./workspace.js";
