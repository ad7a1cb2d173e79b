export interface ClickEvent { userId: string; ts: string }
export interface Session { userId: string; start: string; end: string; events: number }

export function sessionize(events: ClickEvent[], gapMinutes = 30): Session[] {
  // TODO: group by user, sort by time, split on gaps > gapMinutes.
  throw new Error("sessionize is not implemented yet");
}
