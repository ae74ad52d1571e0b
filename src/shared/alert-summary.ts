/**
 * An alert's text in the reader's language. A rule may carry `summary` (English, what outside
 * Prometheus tools read) and `summary_zh` (Chinese), as the built-in rules do (`description` and
 * `description_zh` likewise); a rule with one summary shows it to everyone.
 */
export function alertText(
  annotations: Record<string, string>,
  key: 'summary' | 'description',
  language: string,
): string | undefined {
  const own = language === 'en' ? annotations[`${key}_en`] : annotations[`${key}_zh`];
  return own || annotations[key] || annotations[`${key}_en`] || annotations[`${key}_zh`] || undefined;
}

export const alertSummary = (annotations: Record<string, string>, language: string): string | undefined =>
  alertText(annotations, 'summary', language);
