/**
 * Telling an agent something happened while they look elsewhere: a desktop notification and a
 * short beep (WebAudio, no sound file). Browsers allow both only after a user gesture, so the
 * first click on the inbox asks for notification permission and unlocks audio. Mute is remembered.
 */
import type { ConversationSummary } from '../../../shared/realtime/protocol.ts';

export type AlertKind = 'newConversation' | 'newMessage';
export type AlertContext = { meId: string; openConv: string | null; visible: boolean; now: number };

const freshMs = 2 * 60_000;

/**
 * Whether a changed inbox row deserves an alert: a conversation that is new, or a new customer
 * message, in a conversation that is mine or unassigned and that the agent is not looking at.
 * An agent's own messages and notes move agentLastReadSeq along with lastSeq, so they never alert.
 */
export function alertFor(
  prev: ConversationSummary | undefined,
  c: ConversationSummary,
  ctx: AlertContext,
): AlertKind | null {
  if (c.assigneeId && c.assigneeId !== ctx.meId) return null;
  if (ctx.visible && ctx.openConv === c.id) return null;
  const unread = c.lastSeq > c.agentLastReadSeq;
  if (!unread) return null;
  if (!prev) {
    if (ctx.now - Date.parse(c.createdAt) < freshMs) return 'newConversation';
    return c.lastMessageAt && ctx.now - Date.parse(c.lastMessageAt) < freshMs ? 'newMessage' : null;
  }
  if (c.lastSeq <= prev.lastSeq) return null;
  return prev.lastSeq === 0 ? 'newConversation' : 'newMessage';
}

const muteKey = 'kefu.inbox.muted';

export function isMuted(): boolean {
  try {
    return localStorage.getItem(muteKey) === '1';
  } catch {
    return false;
  }
}

export function rememberMuted(muted: boolean): void {
  try {
    localStorage.setItem(muteKey, muted ? '1' : '0');
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

let audio: AudioContext | null = null;

/** Call from a user gesture: asks for notification permission once and unlocks audio. */
export function primeAlerts(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default')
    void Notification.requestPermission().catch(() => undefined);
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = null;
  }
}

/** Two short sine tones (880 Hz, then 660 Hz), quiet. */
export function beep(): void {
  if (!audio || audio.state !== 'running') return;
  const start = audio.currentTime;
  for (const [i, frequency] of [880, 660].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    const t0 = start + i * 0.14;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.12, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.12);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + 0.13);
  }
}

/** A desktop notification when allowed; one per conversation at a time (tag). */
export function notify(title: string, body: string, tag: string, onClick: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag, silent: true });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // some browsers only allow notifications from a service worker
  }
}
