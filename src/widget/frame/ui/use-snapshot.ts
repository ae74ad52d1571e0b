import { useEffect, useState } from 'preact/hooks';
import type { Snapshot, WidgetController } from '../controller.ts';

/** The controller's latest snapshot; re-renders on every change (snapshots are replaced, never mutated). */
export function useSnapshot(controller: WidgetController): Snapshot {
  const [snapshot, setSnapshot] = useState(controller.snapshot);
  useEffect(() => {
    setSnapshot(controller.snapshot);
    return controller.subscribe(() => setSnapshot(controller.snapshot));
  }, [controller]);
  return snapshot;
}
