// Programs shared by the exploration tests and the bench.
import type { InterleavingProgram } from '../../../simulator/src/explore';

/**
 * Seed 003 (the uffd write-protect race) in three columns: cpu0 unprotects with UFFDIO_WRITEPROTECT
 * — before 6.0 that drops write from a writable private entry and defers the flush — cpu1 takes
 * the write fault that copies the page (pinned, so not reused), cpu2 writes twice and may keep a
 * stale writable TLB entry between its writes.
 */
export function seed003(profile: string, properties?: readonly string[]): InterleavingProgram {
  return {
    profile,
    initial: {
      entry: { present: true, W: true, D: true, A: true, U: true },
      vma: { flags: ['VM_READ', 'VM_WRITE', 'VM_MAYREAD', 'VM_MAYWRITE', 'VM_UFFD_WP', 'VM_SOFTDIRTY', 'anonymous'] },
      folio: ['anon', 'exclusive', 'pinned'],
    },
    cpus: [
      { name: 'cpu0', ops: [{ op: 'uffd_unwp', line: 10 }] },
      { name: 'cpu1', ops: [{ op: 'write', line: 20 }] },
      { name: 'cpu2', ops: [{ op: 'write', line: 30 }, { op: 'write', line: 31 }] },
    ],
    ...(properties ? { properties } : {}),
  };
}

export const PRIVATE_ANON_VMA = { flags: ['VM_READ', 'VM_WRITE', 'VM_MAYREAD', 'VM_MAYWRITE', 'VM_SOFTDIRTY', 'anonymous'] };
export const UFFD_WP_VMA = { flags: [...PRIVATE_ANON_VMA.flags, 'VM_UFFD_WP'] };
