export interface ConnectConfig { host: string; token?: string; clusterId?: string; serverless: boolean; source: string }

export function parseDatabricksCfg(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const h = /^\[(.+)\]$/.exec(line);
    if (h) {
      section = out[h[1]!.trim()] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0 && section) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

interface Candidate { host?: string; token?: string; clusterId?: string; serverless?: boolean }

function normaliseHost(host: string): string {
  const h = host.trim().replace(/\/+$/, "");
  return /^https?:\/\//.test(h) ? h.replace(/^http:\/\//, "https://") : `https://${h}`;
}

function fromProfile(p: Record<string, string>): Candidate {
  return { host: p["host"], token: p["token"], clusterId: p["cluster_id"], serverless: p["serverless_compute_id"] === "auto" };
}

export function resolveConnectConfig(input: {
  remote?: { host?: string; token?: string; clusterId?: string; serverless?: boolean };
  profile?: string;
  env: Record<string, string | undefined>;
  databrickscfg: string;
}): ConnectConfig {
  const profiles = parseDatabricksCfg(input.databrickscfg);
  const env = input.env;
  const named = (name: string) => {
    const p = profiles[name];
    if (!p) throw new Error(`profile '${name}' not found in .databrickscfg`);
    return fromProfile(p);
  };
  const sources: [string, () => Candidate | undefined][] = [
    ["remote", () => input.remote],
    [`profile ${input.profile}`, () => (input.profile ? named(input.profile) : undefined)],
    [`env profile ${env["DATABRICKS_CONFIG_PROFILE"]}`, () => (env["DATABRICKS_CONFIG_PROFILE"] ? named(env["DATABRICKS_CONFIG_PROFILE"]) : undefined)],
    ["env", () => ({ host: env["DATABRICKS_HOST"], token: env["DATABRICKS_TOKEN"], clusterId: env["DATABRICKS_CLUSTER_ID"], serverless: env["DATABRICKS_SERVERLESS_COMPUTE_ID"] === "auto" })],
    ["profile DEFAULT", () => (profiles["DEFAULT"] ? fromProfile(profiles["DEFAULT"]) : undefined)],
  ];
  for (const [source, get] of sources) {
    const c = get();
    if (!c?.host) continue;
    const serverless = c.serverless === true;
    const clusterId = c.clusterId ?? (serverless ? undefined : env["DATABRICKS_CLUSTER_ID"]);
    return { host: normaliseHost(c.host), ...(c.token ? { token: c.token } : {}), ...(clusterId ? { clusterId } : {}), serverless, source };
  }
  throw new Error("no Databricks configuration found (remote(), profiles, DATABRICKS_* variables, [DEFAULT])");
}
