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

export function rfmScores(orders: Order[], asOf: string): RfmScore[] {
  // TODO: aggregate per customer, then score with NTILE(5) semantics.
  return [];
}
