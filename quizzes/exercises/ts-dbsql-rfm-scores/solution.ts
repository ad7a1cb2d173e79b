export interface Order { customerId: string; date: string; amount: number }
export interface RfmScore {
  customerId: string;
  recencyDays: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  segment: string;
}

const DAY = 86_400_000;

/** NTILE(k) over ids in the given order: id → bucket 1..k. */
function ntile(ids: string[], k: number): Map<string, number> {
  const n = ids.length;
  const base = Math.floor(n / k);
  const extra = n % k;
  const out = new Map<string, number>();
  let i = 0;
  for (let bucket = 1; bucket <= k && i < n; bucket++) {
    const size = base + (bucket <= extra ? 1 : 0);
    for (let j = 0; j < size; j++) out.set(ids[i++]!, bucket);
  }
  return out;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function rfmScores(orders: Order[], asOf: string): RfmScore[] {
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const agg = new Map<string, { last: number; n: number; total: number }>();
  for (const o of orders) {
    const t = Date.parse(`${o.date}T00:00:00Z`);
    if (t > asOfMs) continue;
    const a = agg.get(o.customerId);
    if (a) {
      a.last = Math.max(a.last, t);
      a.n++;
      a.total += o.amount;
    } else agg.set(o.customerId, { last: t, n: 1, total: o.amount });
  }
  const rows = [...agg].map(([customerId, a]) => ({ customerId, recencyDays: Math.round((asOfMs - a.last) / DAY), frequency: a.n, monetary: Math.round(a.total * 100) / 100 }));
  const order = (cmp: (x: (typeof rows)[number], y: (typeof rows)[number]) => number) => [...rows].sort((x, y) => cmp(x, y) || byId(x.customerId, y.customerId)).map((x) => x.customerId);
  const r = ntile(order((x, y) => y.recencyDays - x.recencyDays), 5);
  const f = ntile(order((x, y) => x.frequency - y.frequency), 5);
  const m = ntile(order((x, y) => x.monetary - y.monetary), 5);
  return rows
    .map((x) => {
      const rs = r.get(x.customerId)!;
      const fs = f.get(x.customerId)!;
      const ms = m.get(x.customerId)!;
      return { ...x, r: rs, f: fs, m: ms, segment: `${rs}${fs}${ms}` };
    })
    .sort((a, b) => byId(a.customerId, b.customerId));
}
