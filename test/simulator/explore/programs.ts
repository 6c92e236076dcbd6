// Programs shared by the exploration tests and the bench.
import { DONE, type ConcurrentOperation, type InterleavingProgram, type StepContext, type StepDef } from '../../../simulator/src/explore';

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

function writableCopy(s: StepContext, page: number): string {
  const fresh = s.model.make('present', { A: true, U: true });
  return s.model.apply('maybe_mkwrite', s.model.apply('pte_mkdirty', fresh), s.pageFacts(page));
}

/**
 * A write fault that copies the page (test-only): read the entry, copy, install the copy
 * writable, write. `locked`: under the page-table lock, installing only if the entry did not
 * change (the kernel's pte_same); unlocked, two CPUs can each install their own copy.
 */
export function cowWrite(locked: boolean): ConcurrentOperation {
  const lock = (s: StepContext) => !locked || s.tryLockPtl();
  const unlock = (s: StepContext) => locked && s.unlockPtl();
  const steps: StepDef[] = [
    {
      label: 'read',
      summary: 'read the entry; writable: write at once',
      run: (s) => {
        if (!lock(s)) return null;
        const writable = s.model.hardwareWritable(s.entry());
        s.setLocal('orig', s.entry());
        s.setLocal('from', s.page());
        unlock(s);
        return { action: writable ? 'entry writable' : `read P${s.page()} read-only`, next: writable ? 'write' : 'copy' };
      },
    },
    {
      label: 'copy',
      summary: 'copy the page',
      run: (s) => {
        const to = s.copyPage(s.local('from') as number, ['anon', 'exclusive']);
        s.setLocal('to', to);
        return { action: `copy to P${to}`, next: 'install' };
      },
    },
    {
      label: 'install',
      summary: 'install the copy writable (locked: only if the entry did not change)',
      run: (s) => {
        if (!lock(s)) return null;
        if (locked && s.entry() !== s.local('orig')) {
          unlock(s);
          return { action: 'entry changed: drop the copy', next: 'read' };
        }
        const to = s.local('to') as number;
        s.setEntry(writableCopy(s, to), to);
        unlock(s);
        return { action: `install P${to}`, next: 'write' };
      },
    },
    {
      label: 'write',
      summary: 'write the page the entry maps',
      run: (s) => {
        const page = s.page();
        return { action: `write ${s.writeTo(page)} to P${page}`, next: DONE };
      },
    },
  ];
  return { name: locked ? 'cow_write_locked' : 'cow_write', doc: 'test', params: [], variants: [{ source: 'test', doc: 'test', helpers: [], steps }] };
}

