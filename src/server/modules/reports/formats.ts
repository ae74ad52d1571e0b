/** The report formats and their content types (`render.ts` renders them; `lazy-render.ts` loads it). */

export const formats = ['html', 'pdf', 'csv', 'xlsx', 'json'] as const;
export type Format = (typeof formats)[number];
export const contentTypes: Record<Format, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};
