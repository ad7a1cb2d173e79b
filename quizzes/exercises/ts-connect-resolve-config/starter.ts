export interface ConnectConfig { host: string; token?: string; clusterId?: string; serverless: boolean; source: string }

export function parseDatabricksCfg(text: string): Record<string, Record<string, string>> {
  return {}; // TODO
}

export function resolveConnectConfig(input: {
  remote?: { host?: string; token?: string; clusterId?: string; serverless?: boolean };
  profile?: string;
  env: Record<string, string | undefined>;
  databrickscfg: string;
}): ConnectConfig {
  // TODO: only environment variables for now.
  const host = input.env["DATABRICKS_HOST"];
  if (!host) throw new Error("no Databricks configuration found");
  return { host, token: input.env["DATABRICKS_TOKEN"], serverless: false, source: "env" };
}
