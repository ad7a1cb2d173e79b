export type MaskRule = "email" | "phone" | "redact";

export function maskEmail(email: string | null): string | null {
  return email; // TODO
}

export function maskPhone(phone: string | null): string | null {
  return phone; // TODO
}

export function maskRecord<T extends Record<string, unknown>>(
  record: T,
  rules: Partial<Record<keyof T & string, MaskRule>>,
  viewerGroups: string[],
  exemptGroup = "pii_readers",
): T {
  return record; // TODO
}
