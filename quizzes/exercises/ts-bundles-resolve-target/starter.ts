type Resources = Record<string, Record<string, Record<string, unknown>>>;
export interface BundleConfig {
  bundle: { name: string };
  variables?: Record<string, { default?: string; description?: string }>;
  resources?: Resources;
  targets?: Record<string, { mode?: "development" | "production"; default?: boolean; variables?: Record<string, string>; resources?: Resources }>;
}
export interface ResolveOptions {
  target?: string;
  cliVars?: Record<string, string>;
  env?: Record<string, string | undefined>;
  userShortName: string;
}
export interface ResolvedBundle { target: string; mode: "development" | "production" | null; variables: Record<string, string>; resources: Resources }

export function resolveBundle(config: BundleConfig, opts: ResolveOptions): ResolvedBundle {
  // TODO: target selection, variables, overrides, substitution, development mode.
  const target = opts.target ?? "dev";
  return { target, mode: null, variables: {}, resources: config.resources ?? {} };
}
