/**
 * One conversation as a client holds it, as pure state: its messages in seq order (one per seq)
 * and the seq to resume after (what `hello`/`sub` send). Three rules keep the "no lost, no
 * duplicated, no reordered" promise on the client's side:
 * - a seq already held is a duplicate (a message can arrive both in a replay and live); the
 *   server's copy replaces one built from an `ack` (it has the final attachment URLs);
 * - the resume point moves only over messages that follow one another, so a message that
 *   arrives after a gap does not make the client skip what is missing (`gap` tells the owner to
 *   ask for a replay), and only over seqs the server sent: an `ack` for our seq 7 says nothing
 *   about someone's seq 6 that may still be on its way;
 * - `synced` below what the server reported before means its history went back (a database
 *   restored from a backup): its number is trusted, and what the client held beyond it is dropped.
 *
 * Whether a message follows the one before: the server's `prev` when it sends one;
 * otherwise seq + 1 for agents, who see every message ("contiguous"), and anything for shoppers,
 * whose seqs have legitimate gaps where internal notes are ("lenient", today's behaviour).
 */
import type { Message } from './protocol.ts';

export type GapPolicy = 'contiguous' | 'lenient';
export type Receipt = 'added' | 'replaced' | 'duplicate';

type Link = { prev: number | undefined; fromAck: boolean };

export class ConversationLog {
  readonly id: string;
  /** A replay has finished at least once: an empty list now means an empty conversation. */
  synced = false;
  private list: readonly Message[] = [];
  private readonly links = new Map<number, Link>();
  private resume = 0;
  /** The highest seq the server itself reported (`msg` or `synced`, not `ack`). */
  private serverSeq = 0;
  private missing = false;

  constructor(id: string) {
    this.id = id;
  }

  /** Seq order; a new array whenever something changed (views compare by identity). */
  get messages(): readonly Message[] {
    return this.list;
  }

  /** Everything this client may see up to here is held: resume after it. */
  get resumeSeq(): number {
    return this.resume;
  }

  /** A message from the server is held that does not follow the resume point: something before it is missing. */
  get gap(): boolean {
    return this.missing;
  }

  has(seq: number): boolean {
    return this.links.has(seq);
  }

  /** A message from the server, replayed or live; `prev` as in the `msg` frame. */
  receive(m: Message, prev: number | undefined, policy: GapPolicy): Receipt {
    this.serverSeq = Math.max(this.serverSeq, m.seq);
    const link = this.links.get(m.seq);
    if (link && !link.fromAck) return 'duplicate';
    this.links.set(m.seq, { prev: prev ?? link?.prev, fromAck: false });
    this.list = link ? this.list.map((x) => (x.seq === m.seq ? m : x)) : insertBySeq(this.list, m);
    this.advance(policy);
    return link ? 'replaced' : 'added';
  }

  /** The sender's own message, built from its `ack`: shown at once; false when that seq is already held. */
  materialise(m: Message, prev: number | undefined, policy: GapPolicy): boolean {
    if (this.links.has(m.seq)) return false;
    this.links.set(m.seq, { prev, fromAck: true });
    this.list = insertBySeq(this.list, m);
    this.advance(policy);
    return true;
  }

  /** `synced`: everything up to `seq` has been sent. True when messages beyond it were dropped. */
  sync(seq: number, policy: GapPolicy): boolean {
    this.synced = true;
    let dropped = false;
    if (seq < this.serverSeq) {
      // Those seqs are gone from the server and will be given to new messages: keeping them
      // would make the new ones look like duplicates.
      dropped = this.list.some((m) => m.seq > seq);
      this.list = this.list.filter((m) => m.seq <= seq);
      for (const s of [...this.links.keys()]) if (s > seq) this.links.delete(s);
      this.resume = seq;
    } else this.resume = Math.max(this.resume, seq);
    this.serverSeq = seq;
    this.advance(policy);
    return dropped;
  }

  private advance(policy: GapPolicy): void {
    const list = this.list;
    let i = list.length;
    while (i > 0 && list[i - 1].seq > this.resume) i--;
    let reach = this.resume;
    for (; i < list.length; i++) {
      const seq = list[i].seq;
      const link = this.links.get(seq)!;
      const follows = link.prev !== undefined ? link.prev <= reach : policy === 'contiguous' ? seq === reach + 1 : true;
      if (!follows) break;
      reach = seq;
      if (!link.fromAck) this.resume = seq;
    }
    // Own messages beyond the gap do not count: the ack can overtake someone else's message in flight.
    this.missing = false;
    for (; i < list.length; i++) if (!this.links.get(list[i].seq)!.fromAck) this.missing = true;
  }
}

/** `m` in its place in a seq-ordered list (the caller knows its seq is not there yet). */
function insertBySeq(list: readonly Message[], m: Message): readonly Message[] {
  let i = list.length;
  while (i > 0 && list[i - 1].seq > m.seq) i--;
  return [...list.slice(0, i), m, ...list.slice(i)];
}
