export interface Label { customerId: string; labelTs: string }
export interface FeatureRow { customerId: string; featureTs: string; values: Record<string, number | null> }
export interface LabeledRow extends Label { featureTs: string | null; values: Record<string, number | null> | null }

export function pointInTimeLookup(labels: Label[], features: FeatureRow[], opts: { lookbackMs?: number } = {}): LabeledRow[] {
  const index = new Map<string, { t: number; row: FeatureRow }[]>();
  for (const f of features) {
    const list = index.get(f.customerId);
    const entry = { t: Date.parse(f.featureTs), row: f };
    if (list) list.push(entry);
    else index.set(f.customerId, [entry]);
  }
  for (const [key, list] of index) {
    list.sort((a, b) => a.t - b.t);
    for (let i = 1; i < list.length; i++) if (list[i]!.t === list[i - 1]!.t) throw new Error(`duplicate feature key (${key}, ${list[i]!.row.featureTs})`);
  }
  return labels.map((l) => {
    const t = Date.parse(l.labelTs);
    const list = index.get(l.customerId) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.t <= t) lo = mid + 1;
      else hi = mid;
    }
    const hit = lo > 0 ? list[lo - 1]! : undefined;
    const ok = hit && (opts.lookbackMs === undefined || hit.t >= t - opts.lookbackMs);
    return { ...l, featureTs: ok ? hit.row.featureTs : null, values: ok ? hit.row.values : null };
  });
}
