/**
 * A report as data: sections of blocks (figures, tables, charts, notes). Every renderer (HTML,
 * PDF, CSV, XLSX, JSON) walks the same document, so the formats cannot disagree; the stored JSON
 * of the document is what the SHA-256 covers.
 */
import type { ReportType } from './periods.ts';

/** Bilingual text: the report is read by merchants (zh-CN) and vendors (often English). */
export type Text = { zh: string; en: string };
export const t = (zh: string, en: string): Text => ({ zh, en });

/**
 * Where a figure's rows come from, for drilling down in the console: the first `drillLimit` ids
 * and how many there are (a busy month counts hundreds of thousands; the document
 * stays small enough to store, hash and send).
 */
export type Drill = { kind: 'conversations' | 'incidents'; ids: string[]; total: number };
export const drillLimit = 1000;
export const drillOf = (kind: Drill['kind'], ids: readonly string[]): Drill => ({
  kind,
  ids: ids.slice(0, drillLimit),
  total: ids.length,
});
export type Figure = { label: Text; value: string; drill?: Drill; flag?: 'anomaly' | 'risk' };
/**
 * A table cell: a figure, name or date (language-neutral, a string), or words (both languages,
 * shown as every label is: in the reader's language in the console, both in the files).
 */
export type Cell = string | Text;
export const cellText = (c: Cell, pick: (x: Text) => string): string => (typeof c === 'string' ? c : pick(c));
export type Block =
  | { kind: 'figures'; items: Figure[] }
  | { kind: 'table'; title?: Text; columns: Text[]; rows: Cell[][] }
  /** `labels`: the category axis's labels when they are words (they replace `option.xAxis.data`). */
  | { kind: 'chart'; title: Text; option: Record<string, unknown>; labels?: Text[] }
  | { kind: 'note'; text: Text };
export type Section = {
  id: string;
  title: Text;
  /** null: the source is there; otherwise why this section has no figures (never made-up ones). */
  noSource: Text | null;
  blocks: Block[];
};
export type ReportDocument = {
  type: ReportType;
  workspaceId: string;
  title: Text;
  period: { key: string; zone: string; start: string; end: string };
  /** The instant the inputs were read up to (the period's end, or earlier for a running period). */
  asOf: string;
  /** Machine-readable figures for comparing two periods and for the summary of a delivery. */
  summary: Record<string, number | null>;
  sections: Section[];
  appendix: Text[];
};

/** A chart's ECharts option with its word labels in one language (`pick`). */
export function chartOption(b: { option: Record<string, unknown>; labels?: Text[] }, pick: (x: Text) => string) {
  if (!b.labels) return b.option;
  const x = b.option.xAxis as Record<string, unknown> | undefined;
  return { ...b.option, xAxis: { ...x, data: b.labels.map(pick) } };
}

export const noSourceSection = (id: string, title: Text, why: Text): Section => ({
  id,
  title,
  noSource: why,
  blocks: [],
});

export const fmtSeconds = (s: number | null): string => {
  if (s === null) return '-';
  if (s < 60) return `${Math.round(s * 10) / 10} s`;
  if (s < 3600) return `${Math.round((s / 60) * 10) / 10} min`;
  return `${Math.round((s / 3600) * 100) / 100} h`;
};
export const fmtPercent = (p: number | null): string => (p === null ? '-' : `${p.toFixed(2)} %`);
export const fmtNumber = (n: number | null, digits = 0): string =>
  n === null ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
