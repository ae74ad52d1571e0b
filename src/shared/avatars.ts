/**
 * Agents' avatars as shoppers see them (issue #16 defect 12): an uploaded image, or generated
 * initials on one of these colours. One public address per agent; it names the user id only
 * (already on their messages), never the account name or e-mail.
 */

/** The colours a generated avatar may take (white initials read well on each). */
export const avatarColors = ['#1677ff', '#13a8a8', '#389e0d', '#d48806', '#d4380d', '#c41d7f', '#531dab', '#595959'];

/** Limits of an uploaded avatar. */
export const avatarLimits = { maxBytes: 1024 * 1024, minSide: 16, maxSide: 4096 } as const;
export const avatarTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** The public address of an agent's avatar (`v`: a version, so a changed avatar is fetched afresh). */
export function agentAvatarPath(userId: string, v?: string): string {
  return `/api/agent-avatars/${encodeURIComponent(userId)}${v ? `?v=${encodeURIComponent(v)}` : ''}`;
}

/** Initials for a generated avatar: the first character of a CJK name, else up to two words' first letters. */
export function avatarInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  const first = [...words[0]][0];
  if (/\p{Script=Han}/u.test(first) || words.length === 1) return first.toUpperCase();
  return (first + [...words[1]][0]).toUpperCase();
}

/** The colour of a generated avatar nobody chose: one of the palette, fixed per user. */
export function defaultAvatarColor(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return avatarColors[h % avatarColors.length];
}
