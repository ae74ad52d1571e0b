/**
 * `render` loading the renderer (`render.ts`: ECharts, pdfkit and ExcelJS, about 0.8 s of CPU to
 * import) on the first render instead of with the server and every `kefu` command.
 */
type Render = typeof import('./render.ts').render;

/** render.ts `render`, imported on first use. */
export const render: Render = async (...args) => (await import('./render.ts')).render(...args);
