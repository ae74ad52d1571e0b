/**
 * The CSAT card in a chat (no zod: the widget imports this). The csat module posts a system
 * message whose body is one `[[csat:<request id>]]` token; the widget shows the rating card for
 * that request, the console a line saying a rating was asked for. An old client shows the token.
 */
const marker = /^\[\[csat:(csr_[0-9A-Za-z]{1,40})\]\]$/;
export const csatMarker = (requestId: string): string => `[[csat:${requestId}]]`;
/** The request id of a CSAT card message, or null for any other message. */
export function csatRequestOf(body: string): string | null {
  return marker.exec(body.trim())?.[1] ?? null;
}
/** Faces for the five scores (1 = very unhappy … 5 = very happy). */
export const csatFaces = ['😡', '🙁', '😐', '🙂', '😍'] as const;
/** Longest follow-up comment (characters). */
export const csatMaxComment = 2000;

type Wording = { 'zh-CN': string; en: string };
/** What the widget's card reads (GET/POST /api/widget/:publicId/csat/:requestId). */
export type CsatCardData = {
  requestId: string;
  state: 'open' | 'rated' | 'expired' | 'superseded';
  scale: 'stars' | 'faces';
  prompt: Wording;
  commentPrompt: Wording;
  thanks: Wording;
  questions: { id: string; kind: 'yes_no' | 'text'; label: Wording }[];
  expiresAt: string;
  rating: { score: number; comment: string | null } | null;
};
export type CsatAnswer = { score: number; comment: string; answers: Record<string, boolean | string> };
