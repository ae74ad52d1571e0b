/** A load generator's counters for one phase, and the result it reports for them once the phase is over. */
import type { RunCommand, RunResult } from './protocol.ts';

export type Phase = Omit<RunResult, 'type' | 'undelivered' | 'unacked'> & {
  secSent: number;
  secAcked: number;
  secRecv: number;
  secErrors: number;
  e2e: number[];
  ack: number[];
};

export function newPhase(cmd: RunCommand): Phase {
  return {
    phase: cmd.phase,
    seconds: cmd.seconds,
    sent: 0,
    acked: 0,
    recv: 0,
    echoes: 0,
    skipped: 0,
    seqGaps: 0,
    seqDups: 0,
    errorFrames: {},
    closedSockets: 0,
    secSent: 0,
    secAcked: 0,
    secRecv: 0,
    secErrors: 0,
    e2e: [],
    ack: [],
  };
}

/** `unacked`: still pending after the grace period; `closedSockets`: sockets closed during the phase. */
export function phaseResult(p: Phase, unacked: number, closedSockets: number): RunResult {
  return {
    type: 'ran',
    phase: p.phase,
    seconds: p.seconds,
    sent: p.sent,
    acked: p.acked,
    recv: p.recv,
    echoes: p.echoes,
    skipped: p.skipped,
    undelivered: Math.max(0, p.acked - p.recv),
    unacked,
    seqGaps: p.seqGaps,
    seqDups: p.seqDups,
    errorFrames: p.errorFrames,
    closedSockets,
  };
}
