/** Text colour for the inbox colour, shared by the launcher and the panel's header and bubbles. */
export const defaultColor = '#1677ff';

export function safeColor(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : defaultColor;
}

/**
 * White unless the colour is light (WCAG relative luminance above 0.4). Pure contrast math would
 * already switch to dark text at ≈0.18, i.e. on antd's own #1677ff; brand colours conventionally
 * carry white text, and white on those mid tones still passes for the launcher's icon and bold text.
 */
export function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return lum > 0.4 ? '#111' : '#fff';
}
