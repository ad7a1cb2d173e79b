export type MaskRule = "email" | "phone" | "redact";

export function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const e = email.trim();
  if (!/^[^@\s]+@[^@\s]+$/.test(e)) return "***";
  const [local, domain] = e.split("@") as [string, string];
  return `${local[0]}***@${domain.toLowerCase()}`;
}

export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 4) return "****";
  return "*".repeat(digits.length - 4) + digits.slice(-4);
}

export function maskRecord<T extends Record<string, unknown>>(
  record: T,
  rules: Partial<Record<keyof T & string, MaskRule>>,
  viewerGroups: string[],
  exemptGroup = "pii_readers",
): T {
  const out: Record<string, unknown> = { ...record };
  if (viewerGroups.includes(exemptGroup)) return out as T;
  for (const [col, rule] of Object.entries(rules) as [string, MaskRule | undefined][]) {
    if (!rule || !(col in out)) continue;
    const v = out[col];
    if (v === null || v === undefined) continue;
    if (rule === "redact") out[col] = "[REDACTED]";
    else if (typeof v !== "string") out[col] = "[REDACTED]";
    else out[col] = rule === "email" ? maskEmail(v) : maskPhone(v);
  }
  return out as T;
}
