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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function merge(base: unknown, over: unknown): unknown {
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : clone(v);
    return out;
  }
  return clone(over);
}

function substitute(v: unknown, lookup: (ref: string) => string): unknown {
  if (typeof v === "string") return v.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => lookup(ref.trim()));
  if (Array.isArray(v)) return v.map((x) => substitute(x, lookup));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, lookup)]));
  return v;
}

export function resolveBundle(config: BundleConfig, opts: ResolveOptions): ResolvedBundle {
  const targets = config.targets ?? {};
  const name = opts.target ?? Object.entries(targets).find(([, t]) => t.default)?.[0];
  if (!name) throw new Error("no target selected: pass -t or mark one target with default: true");
  const target = targets[name];
  if (!target) throw new Error(`unknown target '${name}' (targets: ${Object.keys(targets).join(", ") || "none"})`);

  const declared = config.variables ?? {};
  for (const v of Object.keys(target.variables ?? {})) if (!(v in declared)) throw new Error(`target '${name}' sets undeclared variable '${v}'`);
  const variables: Record<string, string> = {};
  for (const [v, def] of Object.entries(declared)) {
    const value = opts.cliVars?.[v] ?? opts.env?.[`BUNDLE_VAR_${v}`] ?? target.variables?.[v] ?? def.default;
    if (value === undefined) throw new Error(`no value for variable '${v}'`);
    variables[v] = value;
  }

  let resources = merge(clone(config.resources ?? {}), target.resources ?? {}) as Resources;
  resources = substitute(resources, (ref) => {
    if (ref.startsWith("var.") && ref.slice(4) in variables) return variables[ref.slice(4)]!;
    if (ref === "bundle.name") return config.bundle.name;
    if (ref === "bundle.target") return name;
    throw new Error(`unknown reference \${${ref}}`);
  }) as Resources;

  if (target.mode === "development") {
    for (const [kind, group] of Object.entries(resources)) {
      if (kind !== "jobs" && kind !== "pipelines") continue;
      for (const res of Object.values(group)) {
        if (typeof res["name"] === "string") res["name"] = `[dev ${opts.userShortName}] ${res["name"]}`;
        if (kind === "jobs") {
          for (const key of ["schedule", "trigger"]) if (isObject(res[key])) (res[key] as Record<string, unknown>)["pause_status"] = "PAUSED";
        } else res["development"] = true;
      }
    }
  }
  return { target: name, mode: target.mode ?? null, variables, resources };
}
