import { describe, expect, it } from 'vitest';
import { move, moveTo, newPolicyValues, noReassign, toPolicyBody, toPolicyValues } from './policy-form.ts';

describe('policy form', () => {
  it('sends only the targets and conditions that are set', () => {
    const body = toPolicyBody({
      ...newPolicyValues('cal_1'),
      name: ' 标准 ',
      targets: { firstResponse: 30, nextResponse: null },
      priorities: ['urgent'],
    });
    expect(body).toEqual({
      name: '标准',
      enabled: true,
      calendarId: 'cal_1',
      businessHours: true,
      targets: { firstResponse: 30 },
      conditions: { priorities: ['urgent'] },
      pauseStatuses: ['pending', 'on_hold'],
      warnAtShare: 0.75,
      escalation: { raisePriority: true, reassignTo: null },
    });
  });

  it('reads a stored policy back', () => {
    const values = toPolicyValues({
      id: 'slp_1',
      position: 1,
      createdAt: '',
      name: 'VIP',
      enabled: false,
      calendarId: 'cal_2',
      businessHours: false,
      targets: { resolution: 240 },
      conditions: { tags: ['vip'], customerTiers: ['gold'] },
      pauseStatuses: ['on_hold'],
      warnAtShare: 0.5,
      escalation: { raisePriority: false, reassignTo: 'usr_9' },
    });
    expect(values).toMatchObject({
      name: 'VIP',
      enabled: false,
      warnPercent: 50,
      tags: ['vip'],
      customerTiers: ['gold'],
      priorities: [],
      reassignTo: 'usr_9',
    });
    expect(toPolicyBody(values).conditions).toEqual({ tags: ['vip'], customerTiers: ['gold'] }); // kept on save
    expect(toPolicyBody(values).escalation).toEqual({ raisePriority: false, reassignTo: 'usr_9' });
    expect(toPolicyBody({ ...values, reassignTo: noReassign }).escalation?.reassignTo).toBeNull();
  });

  it('reorders', () => {
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveTo(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
  });
});
