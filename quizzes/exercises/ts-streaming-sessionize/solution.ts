export interface ClickEvent { userId: string; ts: string }
export interface Session { userId: string; start: string; end: string; events: number }

export function sessionize(events: ClickEvent[], gapMinutes = 30): Session[] {
  const gapMs = gapMinutes * 60_000;
  const byUser = new Map<string, number[]>();
  for (const e of events) {
    const t = Date.parse(e.ts);
    if (Number.isNaN(t)) throw new Error(`invalid timestamp: ${e.ts}`);
    const list = byUser.get(e.userId);
    if (list) list.push(t);
    else byUser.set(e.userId, [t]);
  }
  const sessions: Session[] = [];
  for (const [userId, times] of byUser) {
    times.sort((a, b) => a - b);
    let start = times[0]!;
    let last = start;
    let count = 1;
    for (const t of times.slice(1)) {
      if (t - last > gapMs) {
        sessions.push({ userId, start: new Date(start).toISOString(), end: new Date(last).toISOString(), events: count });
        start = t;
        count = 0;
      }
      last = t;
      count++;
    }
    sessions.push({ userId, start: new Date(start).toISOString(), end: new Date(last).toISOString(), events: count });
  }
  return sessions.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
