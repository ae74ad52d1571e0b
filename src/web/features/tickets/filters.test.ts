import { describe, expect, it } from 'vitest';
import { defaultFilters, filtersFromSearch, hasFilters, sameTickets, searchFromFilters } from './filters.ts';

describe('ticket list filters', () => {
  it('round-trips through the URL and lands on my unsolved tickets', () => {
    expect(filtersFromSearch(new URLSearchParams(''))).toEqual(defaultFilters);
    const filters = { view: 'all' as const, priority: 'urgent' as const, q: '#1001', sort: 'deadline' as const };
    expect(filtersFromSearch(searchFromFilters(filters))).toEqual(filters);
    expect(searchFromFilters({ priority: 'high' }).toString()).toBe('priority=high&view=all');
  });

  it('compares what the filters select, not their order or the defaults written out', () => {
    expect(sameTickets({ view: 'mine' }, { view: 'mine', status: 'unsolved', sort: 'created' })).toBe(true);
    expect(sameTickets({ view: 'all' }, { view: 'all', status: 'unsolved' })).toBe(false);
    expect(sameTickets({}, { view: 'all' })).toBe(true);
    expect(
      sameTickets(
        { view: 'all', groupId: 'g1', status: 'unsolved' },
        { view: 'all', groupId: 'g2', status: 'unsolved' },
      ),
    ).toBe(false);
    expect(hasFilters({ view: 'mine', sort: 'priority' })).toBe(false);
    expect(hasFilters({ view: 'mine', tag: 'vip' })).toBe(true);
  });
});
