/** Quick-reply buttons of bot messages (no zod: the widget imports this). */
/** Quick-reply buttons ride at the end of a bot message's body as `[[label]]` tokens. */
const buttonLine = /\n*((?:\[\[[^\]\n]{1,40}\]\]\s*)+)$/;
export function withButtons(text: string, buttons: readonly string[]): string {
  const clean = buttons.map((b) => b.replace(/[[\]\n]/g, '').slice(0, 40)).filter(Boolean);
  return clean.length ? `${text}\n\n${clean.map((b) => `[[${b}]]`).join(' ')}` : text;
}
export function splitButtons(body: string): { text: string; buttons: string[] } {
  const m = buttonLine.exec(body);
  if (!m) return { text: body, buttons: [] };
  return {
    text: body.slice(0, m.index).trimEnd(),
    buttons: [...m[1]!.matchAll(/\[\[([^\]\n]{1,40})\]\]/g)].map((x) => x[1]!),
  };
}

/** Client ids of bot messages that answer from the knowledge base start with this: the widget offers "useful / not useful" on them. */
export const answerClientIdPrefix = 'bot-answer-';
export const isRateableAnswer = (m: { sender: { type: string }; cid: string | null }) =>
  m.sender.type === 'bot' && !!m.cid?.startsWith(answerClientIdPrefix);
