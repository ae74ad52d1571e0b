/**
 * `render` loading the renderer (`render.ts`: ECharts, pdfkit and ExcelJS, about 0.8 s of CPU to
 * import) on the first render instead of with the server and every `kefu` command.
 */
import type { ReportSignoff } from '../../../shared/reports-api.ts';
import type { ReportDocument } from './document.ts';
import type { Format } from './formats.ts';

/** `signoffs`: shown with the report when given (they are not part of the hashed document). */
export async function render(
  doc: ReportDocument,
  format: Format,
  sha256?: string,
  signoffs?: readonly ReportSignoff[],
): Promise<Buffer> {
  return (await import('./render.ts')).render(doc, format, sha256, signoffs);
}
