import { closeSync, openSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDescriptors } from './metrics.ts';

describe.runIf(process.platform === 'linux')('openDescriptors', () => {
  it("counts the process's open descriptors as a listing of /proc/self/fd does, and follows opens and closes", async () => {
    const fds = Array.from({ length: 200 }, () => openSync('/dev/null', 'r'));
    try {
      const counted = await openDescriptors();
      expect(counted).toBe(readdirSync('/proc/self/fd').length - 1); // the listing's own descriptor is not one of ours
      for (const fd of fds.splice(0, 100)) closeSync(fd);
      expect(await openDescriptors()).toBe(counted - 100);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  });
});
