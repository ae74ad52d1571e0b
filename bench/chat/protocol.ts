/** The IPC messages between the chat benchmark's parent (processes.ts) and its load generators (loadgen.ts). */

export type LoadgenInit = {
  type: 'init';
  index: number;
  /** Full WebSocket URLs of this generator's shoppers (Kefu: `/ws?widget=<token>`). */
  shopperUrls: string[];
  /** Request headers of this generator's agent connections (Kefu: the session cookie). */
  agentUrl: string;
  /** Per agent connection (two nodes: each agent's node); agentUrl when absent. */
  agentUrls?: string[];
  agentHeaders: Record<string, string>[];
  /** For each local shopper, the local agent serving its conversation. */
  agentOf: number[];
  /** Agents also ask for live inbox-row updates (`hello.inboxUpdates`), as the console's inbox list would. */
  inboxUpdates: boolean;
  /** An idle extra connection that pings every 50 ms: shows whether the server's event loop stalls. */
  probeUrl: string;
  bodyBytes: number;
  connectConcurrency: number;
  /** The generator exits by itself after this long, whatever happens. */
  lifetimeMs: number;
};

export type RunCommand = {
  type: 'run';
  phase: string;
  /** open: a fixed rate, whatever the answers; closed: a fixed number of unacknowledged messages in flight. */
  mode: 'open' | 'closed';
  rate?: number;
  window?: number;
  seconds: number;
  /** Open loop: the first `seconds` of the phase at this rate instead (the overload phase's burst). */
  burst?: { rate: number; seconds: number };
  /** Open loop: a shopper with this many unacknowledged messages skips its turn (counted as `skipped`). */
  maxInflightPerShopper: number;
  /** How long to wait after the last send for outstanding acks and deliveries. */
  graceMs: number;
};

export type ParentMessage =
  LoadgenInit | { type: 'connect' } | { type: 'warmup'; concurrency: number } | RunCommand | { type: 'close' };

export type Tick = {
  type: 'tick';
  phase: string;
  sec: number;
  sent: number;
  acked: number;
  recv: number;
  errors: number;
  /** End-to-end latencies (shopper send → agent receives the msg), ms, of messages received in this second. */
  e2e: Float64Array;
  /** Send → ack latencies, ms. */
  ack: Float64Array;
  /** The longest probe ping → pong round trip seen (or still waiting) in this second, ms. */
  probeMaxMs: number;
  /** The generator's own event-loop delay (p99 in this second), ms: high values mean the generator, not the server, is late. */
  lagP99Ms: number;
};

export type RunResult = {
  type: 'ran';
  phase: string;
  seconds: number;
  sent: number;
  acked: number;
  recv: number;
  echoes: number;
  skipped: number;
  /** Acknowledged but not delivered to the agent by the end of the grace period. */
  undelivered: number;
  /** Sent but never acknowledged (nor refused) by the end of the grace period. */
  unacked: number;
  /** Deliveries out of seq order or repeated (per conversation, at the agent). */
  seqGaps: number;
  seqDups: number;
  errorFrames: Record<string, number>;
  closedSockets: number;
};

export type LoadgenMessage =
  | { type: 'ready'; fdLimit: { soft: number; hard: number } }
  | { type: 'connected'; shoppers: number; agents: number; failed: number; firstErrors: string[]; ms: number }
  | { type: 'warmed'; conversations: number; failed: number; firstErrors: string[]; ms: number }
  | Tick
  | RunResult
  | { type: 'closed' }
  | { type: 'fatal'; error: string };
