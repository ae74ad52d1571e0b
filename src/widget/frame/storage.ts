/**
 * JSON in Web Storage that never throws. The frame is a third-party iframe: browsers partition its
 * storage per shop (fine: one shop, one history) and some block it outright (then we live in memory).
 */
type Area = 'local' | 'session';

function area(which: Area): Storage | null {
  try {
    return which === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

export function load(which: Area, key: string): unknown {
  try {
    const raw = area(which)?.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function save(which: Area, key: string, value: unknown): void {
  try {
    const store = area(which);
    if (!store) return;
    if (value === null || value === undefined) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch {
    /* quota or blocked: memory only */
  }
}
