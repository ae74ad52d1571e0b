/**
 * The chat benchmark reads Kefu's /metrics by series name and labels; every series also carries the
 * node's `node` label, which made every lookup miss (the writer's and the event loop's figures came
 * out as "–"). Checked against the real server's exposition format.
 */
import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../../../bench/chat/stats.ts';

const text = `# HELP kefu_realtime_connections WebSocket connections on this node, by kind (agent, customer)
# TYPE kefu_realtime_connections gauge
kefu_realtime_connections{kind="agent",node="vm:44047"} 500
kefu_realtime_connections{node="vm:44047",kind="customer"} 10000
kefu_nodejs_eventloop_lag_p99_seconds{node="vm:44047"} 0.0123
kefu_chat_commit_duration_seconds_bucket{le="0.01",node="vm:44047",engine="sqlite"} 7
kefu_process_start_time_seconds 1733560000
`;

describe('the chat benchmark reading /metrics', () => {
  it('looks series up without the node label, whatever its position', () => {
    const m = parseMetrics(text);
    expect(m.get('kefu_realtime_connections{kind="agent"}')).toBe(500);
    expect(m.get('kefu_realtime_connections{kind="customer"}')).toBe(10000);
    expect(m.get('kefu_nodejs_eventloop_lag_p99_seconds')).toBe(0.0123);
    expect(m.get('kefu_chat_commit_duration_seconds_bucket{le="0.01",engine="sqlite"}')).toBe(7);
    expect(m.get('kefu_process_start_time_seconds')).toBe(1733560000);
  });
});
