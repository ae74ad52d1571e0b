/** Conversation label colours: antd's preset names, never red (red is for breaches and errors). No zod: the console imports it. */
export const labelColors = [
  'blue',
  'cyan',
  'green',
  'lime',
  'gold',
  'orange',
  'purple',
  'magenta',
  'geekblue',
  'default',
] as const;
export type LabelColor = (typeof labelColors)[number];
