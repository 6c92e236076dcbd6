// Which paths of a function a patch changes: each path on one side is matched with the paths
// on the other whose branch decisions it contains or is contained in (a new branch splits a
// path; the old decisions stay), and it has changed when none of them ends in the same entry —
// the last install, or the last helper result in a fragment that never installs.

import { formatRendered, type PathSummary, type RenderedEntry } from '../../../simulator/src';
import { decisionsNest, formatDecisions } from './decisions';

export interface PathChange {
  /** The decisions of the path (on the side it was found on). */
  readonly decisions: string;
  /** The final entry before the patch; undefined for a new path. */
  readonly before?: RenderedEntry;
  /** The final entry after the patch; undefined for a path that is gone. */
  readonly after?: RenderedEntry;
}

function finalEntry(path: PathSummary): RenderedEntry | undefined {
  const withEntry = path.events.filter((e) => e.after !== undefined);
  return ([...withEntry].reverse().find((e) => e.kind === 'install') ?? withEntry.at(-1))?.after;
}


const stateKey = (entry: RenderedEntry | undefined) => (entry ? formatRendered(entry) : '');

export function changedPaths(before: readonly PathSummary[], after: readonly PathSummary[]): PathChange[] {
  const changes = new Map<string, PathChange>();
  const add = (change: PathChange) => changes.set(`${change.decisions}|${stateKey(change.before)}|${stateKey(change.after)}`, change);
  /** Paths of `side` that end differently from every related path of `other` (or have none). */
  const compare = (side: readonly PathSummary[], other: readonly PathSummary[], make: (own?: RenderedEntry, theirs?: RenderedEntry) => Pick<PathChange, 'before' | 'after'>) => {
    for (const path of side) {
      const final = finalEntry(path);
      const matches = other.filter((o) => decisionsNest(o.decisions, path.decisions));
      if (matches.some((o) => stateKey(finalEntry(o)) === stateKey(final))) continue;
      add({ decisions: formatDecisions(path.decisions), ...make(final, matches[0] && finalEntry(matches[0])) });
    }
  };
  compare(after, before, (own, theirs) => ({ ...(theirs ? { before: theirs } : {}), ...(own ? { after: own } : {}) }));
  compare(before, after, (own, theirs) => ({ ...(own ? { before: own } : {}), ...(theirs ? { after: theirs } : {}) }));
  return [...changes.values()];
}
