import { test } from "./harness.js";
import assert from "node:assert/strict";
import { resolveBundle, type BundleConfig } from "./submission.js";

const config = (): BundleConfig => ({
  bundle: { name: "c360" },
  variables: { catalog: { default: "dev" }, owner: { description: "who is paged" } },
  resources: {
    jobs: {
      daily_orders: {
        name: "daily_orders_${bundle.target}",
        schedule: { quartz_cron_expression: "0 0 5 * * ?", timezone_id: "UTC" },
        tags: ["${var.catalog}"],
        email_notifications: { on_failure: ["${var.owner}@example.com"] },
        tasks: [{ task_key: "ingest", notebook_task: { notebook_path: "../src/ingest.py", base_parameters: { catalog: "${var.catalog}" } } }],
      },
    },
    pipelines: { c360_pipeline: { name: "c360 pipeline", catalog: "${var.catalog}", serverless: true } },
  },
  targets: {
    dev: { mode: "development", default: true, variables: { owner: "me" } },
    prod: {
      mode: "production",
      variables: { catalog: "prod", owner: "oncall" },
      resources: { jobs: { daily_orders: { schedule: { timezone_id: "Europe/London" }, tags: ["prod", "critical"] } } },
    },
  },
});

test("the default target is used when none is given", () => {
  const r = resolveBundle(config(), { userShortName: "ada" });
  assert.equal(r.target, "dev");
  assert.equal(r.mode, "development");
  assert.deepEqual(r.variables, { catalog: "dev", owner: "me" });
});

test("variable precedence: --var, then BUNDLE_VAR_, then target, then default", () => {
  assert.equal(resolveBundle(config(), { target: "prod", userShortName: "x" }).variables["catalog"], "prod");
  assert.equal(resolveBundle(config(), { target: "prod", env: { BUNDLE_VAR_catalog: "env_cat" }, userShortName: "x" }).variables["catalog"], "env_cat");
  assert.equal(resolveBundle(config(), { target: "prod", env: { BUNDLE_VAR_catalog: "env_cat" }, cliVars: { catalog: "cli_cat" }, userShortName: "x" }).variables["catalog"], "cli_cat");
});

test("target overrides deep-merge objects and replace arrays", () => {
  const job = resolveBundle(config(), { target: "prod", userShortName: "x" }).resources["jobs"]!["daily_orders"]!;
  assert.deepEqual(job["schedule"], { quartz_cron_expression: "0 0 5 * * ?", timezone_id: "Europe/London" });
  assert.deepEqual(job["tags"], ["prod", "critical"]);
});

test("references are substituted everywhere", () => {
  const r = resolveBundle(config(), { target: "prod", userShortName: "x" });
  const job = r.resources["jobs"]!["daily_orders"]!;
  assert.equal(job["name"], "daily_orders_prod");
  assert.deepEqual(job["email_notifications"], { on_failure: ["oncall@example.com"] });
  assert.equal((job["tasks"] as any)[0].notebook_task.base_parameters.catalog, "prod");
  assert.equal(r.resources["pipelines"]!["c360_pipeline"]!["catalog"], "prod");
});

test("development mode prefixes names, pauses schedules and marks pipelines", () => {
  const r = resolveBundle(config(), { userShortName: "ada" });
  const job = r.resources["jobs"]!["daily_orders"]!;
  assert.equal(job["name"], "[dev ada] daily_orders_dev");
  assert.equal((job["schedule"] as any).pause_status, "PAUSED");
  assert.equal(r.resources["pipelines"]!["c360_pipeline"]!["name"], "[dev ada] c360 pipeline");
  assert.equal(r.resources["pipelines"]!["c360_pipeline"]!["development"], true);
  const prod = resolveBundle(config(), { target: "prod", userShortName: "ada" });
  assert.equal((prod.resources["jobs"]!["daily_orders"]!["schedule"] as any).pause_status, undefined);
});

test("errors: unknown target, missing variable, undeclared variable, unknown reference", () => {
  assert.throws(() => resolveBundle(config(), { target: "staging", userShortName: "x" }), /staging/);
  const noDefault = config();
  delete noDefault.targets!["dev"]!.default;
  assert.throws(() => resolveBundle(noDefault, { userShortName: "x" }), Error);
  const missing = config();
  missing.targets!["dev"]!.variables = {};
  assert.throws(() => resolveBundle(missing, { userShortName: "x" }), /owner/);
  const undeclared = config();
  undeclared.targets!["dev"]!.variables = { owner: "me", region: "eu" };
  assert.throws(() => resolveBundle(undeclared, { userShortName: "x" }), /region/);
  const badRef = config();
  badRef.resources!["jobs"]!["daily_orders"]!["description"] = "${workspace.host}";
  assert.throws(() => resolveBundle(badRef, { userShortName: "x" }), /unknown reference/);
});

test("the input configuration is not modified", () => {
  const c = config();
  const before = JSON.stringify(c);
  resolveBundle(c, { userShortName: "ada" });
  resolveBundle(c, { target: "prod", userShortName: "ada" });
  assert.equal(JSON.stringify(c), before);
});
