export interface Label { customerId: string; labelTs: string }
export interface FeatureRow { customerId: string; featureTs: string; values: Record<string, number | null> }
export interface LabeledRow extends Label { featureTs: string | null; values: Record<string, number | null> | null }

export function pointInTimeLookup(labels: Label[], features: FeatureRow[], opts: { lookbackMs?: number } = {}): LabeledRow[] {
  // TODO: for each label, find the latest feature row at or before labelTs.
  return labels.map((l) => ({ ...l, featureTs: null, values: null }));
}
