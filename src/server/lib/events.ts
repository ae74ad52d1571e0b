/**
 * Domain events, published after their transaction commits. Listeners in this process (audit,
 * notifications, SLA clocks) run once, on the node that made the change; the event is then also
 * put on the bus so that realtime gateways on every node can push it.
 */
import type { Logger } from './logger.ts';
import type { Bus } from './bus.ts';

export type ActorRef = {
  type: 'user' | 'token' | 'system';
  id: string | null;
  name: string | null;
};

export type DomainEvent = {
  /** `domain.past_tense`, e.g. `user.created`. */
  type: `${string}.${string}`;
  workspaceId: string;
  actor: ActorRef;
  ip: string | null;
  objectType: string;
  objectId: string | null;
  data: Record<string, unknown>;
  at: string;
};

export type Listener = (event: DomainEvent) => Promise<void> | void;

export const eventsChannel = 'events';

export class Events {
  private readonly listeners = new Map<string, Listener[]>();
  private readonly bus: Bus;
  private readonly log: Logger;
  constructor(bus: Bus, log: Logger) {
    this.bus = bus;
    this.log = log;
  }

  /** Registers a listener for one event type, or `*` for all. */
  on(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /**
   * Runs the local listeners (awaited, so a request returns after its audit entry is written),
   * then publishes on the bus. A failing listener is logged and does not stop the others.
   */
  async publish(event: DomainEvent): Promise<void> {
    for (const l of [...(this.listeners.get(event.type) ?? []), ...(this.listeners.get('*') ?? [])]) {
      try {
        await l(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'event listener failed');
      }
    }
    try {
      await this.bus.publish(eventsChannel, event);
    } catch (err) {
      this.log.error({ err, event: event.type }, 'bus publish failed');
    }
  }
}
