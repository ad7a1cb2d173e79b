import { test } from "./harness.js";
import assert from "node:assert/strict";
import { parseDatabricksCfg, resolveConnectConfig } from "./submission.js";

const cfg = [
  "# personal profiles",
  "[DEFAULT]",
  "host = https://default.cloud.databricks.com/",
  "token = dapi-default",
  "",
  "[dev]",
  "host=dev.cloud.databricks.com",
  "cluster_id = 0123-456789-dev",
  "; a comment",
  "[serverless]",
  "host = https://sl.cloud.databricks.com",
  "serverless_compute_id = auto",
].join("\n");

test("parses the INI file", () => {
  assert.deepEqual(parseDatabricksCfg(cfg), {
    DEFAULT: { host: "https://default.cloud.databricks.com/", token: "dapi-default" },
    dev: { host: "dev.cloud.databricks.com", cluster_id: "0123-456789-dev" },
    serverless: { host: "https://sl.cloud.databricks.com", serverless_compute_id: "auto" },
  });
});

test("remote() wins over everything", () => {
  const c = resolveConnectConfig({ remote: { host: "r.cloud.databricks.com", token: "t", clusterId: "c1" }, profile: "dev", env: { DATABRICKS_HOST: "e.com" }, databrickscfg: cfg });
  assert.deepEqual(c, { host: "https://r.cloud.databricks.com", token: "t", clusterId: "c1", serverless: false, source: "remote" });
});

test("a named profile comes next", () => {
  const c = resolveConnectConfig({ profile: "dev", env: { DATABRICKS_CONFIG_PROFILE: "serverless", DATABRICKS_HOST: "e.com" }, databrickscfg: cfg });
  assert.equal(c.source, "profile dev");
  assert.equal(c.host, "https://dev.cloud.databricks.com");
  assert.equal(c.clusterId, "0123-456789-dev");
});

test("then DATABRICKS_CONFIG_PROFILE", () => {
  const c = resolveConnectConfig({ env: { DATABRICKS_CONFIG_PROFILE: "serverless", DATABRICKS_HOST: "e.com" }, databrickscfg: cfg });
  assert.deepEqual(c, { host: "https://sl.cloud.databricks.com", serverless: true, source: "env profile serverless" });
});

test("then the DATABRICKS_* variables, then DEFAULT", () => {
  const e = resolveConnectConfig({ env: { DATABRICKS_HOST: "https://env.cloud.databricks.com/", DATABRICKS_TOKEN: "tok", DATABRICKS_SERVERLESS_COMPUTE_ID: "auto" }, databrickscfg: cfg });
  assert.deepEqual(e, { host: "https://env.cloud.databricks.com", token: "tok", serverless: true, source: "env" });
  const d = resolveConnectConfig({ env: {}, databrickscfg: cfg });
  assert.deepEqual(d, { host: "https://default.cloud.databricks.com", token: "dapi-default", serverless: false, source: "profile DEFAULT" });
});

test("a remote() without host does not count, and DATABRICKS_CLUSTER_ID fills the cluster", () => {
  const c = resolveConnectConfig({ remote: { clusterId: "ignored" }, env: { DATABRICKS_CLUSTER_ID: "0000-env" }, databrickscfg: cfg });
  assert.equal(c.source, "profile DEFAULT");
  assert.equal(c.clusterId, "0000-env");
});

test("missing profiles and missing configuration throw", () => {
  assert.throws(() => resolveConnectConfig({ profile: "prod", env: {}, databrickscfg: cfg }), /prod/);
  assert.throws(() => resolveConnectConfig({ env: { DATABRICKS_CONFIG_PROFILE: "qa" }, databrickscfg: cfg }), /qa/);
  assert.throws(() => resolveConnectConfig({ env: {}, databrickscfg: "" }), /no Databricks configuration/);
});
