// The library of concurrent operations. Each is split into atomic steps at lock boundaries
// (page-table lock, mmap lock), flushes and changes of mm->tlb_flush_pending; each variant
// cites the kernel code it stands for and the versions it covers. The profile's version
// picks the variant; what differs between variants is data (WriteFaultFacts, Bracket, the
// entry change), read by steps shared across versions.

import { checkCopySource } from './properties';
import { DONE, type ConcurrentOperation, type OperationVariant, type StepContext, type StepDef, type StepOutcome } from './step';

// ---- user accesses through the TLB (the MMU; see hardware.ts) ----

/** A read: a TLB hit reads; a miss walks the entry, sets Accessed and caches the translation. */
function readAccess(s: StepContext): StepOutcome {
  const cached = s.tlb();
  if (cached) return { action: `read P${cached.page} through the TLB`, next: DONE };
  const { model } = s;
  const entry = s.entry();
  if (!model.hardwareReadable(entry)) return { action: 'TLB miss; no valid entry: page fault (read faults are not modelled: the read is dropped)', next: DONE };
  const page = s.page();
  const walked = model.setBits(entry, model.hardware.onRead);
  s.setEntry(walked, page);
  s.setTlb({ page, write: model.hardwareWritable(walked), dirty: hardwareDirty(s, walked) });
  return { action: `TLB miss, walk: read P${page}; TLB caches it ${model.hardwareWritable(walked) ? 'writable' : 'read-only'}`, next: DONE };
}

function hardwareDirty(s: StepContext, entry: string): boolean {
  const { model } = s;
  return Object.entries(model.hardware.onWrite).every(([bit, value]) => model.bit(entry, bit) === value);
}

/**
 * A write: a dirty writable TLB entry writes at once, without looking at the entry; a clean
 * one goes back to the entry to set Dirty and faults if the entry no longer allows the write;
 * a read-only one faults (and the fault drops it).
 */
function writeAccess(s: StepContext): StepOutcome {
  const { model } = s;
  const cached = s.tlb();
  if (cached?.write && cached.dirty) {
    const id = s.writeTo(cached.page);
    return { action: `write ${id} to P${cached.page} through the TLB`, next: DONE };
  }
  if (cached && !cached.write) {
    s.setTlb(null);
    return { action: `write: TLB has P${cached.page} read-only: page fault`, next: 'fault' };
  }
  const entry = s.entry();
  const how = cached ? 'TLB entry clean, walk to set dirty' : 'TLB miss, walk';
  if (model.hardwareWritable(entry)) {
    const page = s.page();
    s.setEntry(model.setBits(entry, model.hardware.onWrite), page);
    s.setTlb({ page, write: true, dirty: true });
    const id = s.writeTo(page);
    return { action: `${how}: write ${id} to P${page}`, next: DONE };
  }
  if (cached) s.setTlb(null);
  return { action: `${how}: entry ${model.hardwareReadable(entry) ? 'read-only' : 'not valid'}: page fault`, next: 'fault' };
}

// ---- the write fault on a present, read-only entry (mm/memory.c : do_wp_page) ----

/** What distinguishes the versions of do_wp_page here. */
interface WriteFaultFacts {
  /** The fix of 5.12: with a uffd-wp VMA and a flush pending, flush before deciding (and copying). */
  readonly flushWhenPending: boolean;
  /** A private anonymous page is reused (no copy) when its folio has all these facts and none of `copyIf`. */
  readonly reuseIf: readonly string[];
  readonly copyIf: readonly string[];
}

function lockMmapForFault(s: StepContext): StepOutcome | null {
  // 6.4+ faults take the per-VMA lock first; the writers it excludes are the same
  if (!s.tryMmapRead()) return null;
  return { action: 'page fault: mmap_read_lock', next: 'ptl' };
}

function wpFault(facts: WriteFaultFacts) {
  return (s: StepContext): StepOutcome | null => {
    if (!s.tryLockPtl()) return null;
    const { model } = s;
    const entry = s.entry();
    const page = s.page();
    if (model.hardwareWritable(entry)) {
      s.unlockPtl();
      return { action: 'PTL: entry already writable: spurious fault', next: 'retry' };
    }
    if (!model.hardwareReadable(entry)) {
      s.unlockPtl();
      s.mmapReadUnlock();
      return { action: 'PTL: entry not present (faults on non-present entries are not modelled: the write is dropped)', next: DONE };
    }
    if (model.test('userfaultfd_pte_wp', entry)) {
      s.unlockPtl();
      s.mmapReadUnlock();
      return { action: 'PTL: uffd-wp: handle_userfault, sleeps until unprotected', next: 'uffd_wait' };
    }
    let flushed = '';
    if (facts.flushWhenPending && model.sim.alg.TRUE === model.vma.fact('VM_UFFD_WP') && s.pending() > 0) {
      s.flushTlbs();
      flushed = 'tlb_flush_pending: flush_tlb_page; ';
    }
    const folio = s.pageFacts(page);
    const shared = model.vma.fact('VM_SHARED') === model.sim.alg.TRUE;
    const reuse = shared || (folio.includes('anon') && facts.reuseIf.every((f) => folio.includes(f)) && !facts.copyIf.some((f) => folio.includes(f)));
    if (reuse) {
      const reused = model.apply('maybe_mkwrite', model.apply('pte_mkdirty', model.apply('pte_mkyoung', entry)), folio);
      s.setEntry(reused, page);
      s.unlockPtl();
      return { action: `PTL: ${flushed}${shared ? 'wp_page_shared' : 'wp_page_reuse'}: writable in place`, next: 'retry' };
    }
    s.setLocal('orig', entry);
    s.setLocal('origPage', page);
    s.unlockPtl();
    return { action: `PTL: ${flushed}P${page} not reusable: wp_page_copy`, next: 'copy' };
  };
}

function copyPage(s: StepContext): StepOutcome {
  const from = s.local('origPage') as number;
  checkCopySource(s, from);
  const to = s.copyPage(from, ['anon', 'exclusive']);
  s.setLocal('newPage', to);
  return { action: `copy P${from} to new P${to} (no lock held)`, next: 'install' };
}

function installCopy(s: StepContext): StepOutcome | null {
  if (!s.tryLockPtl()) return null;
  const { model } = s;
  const to = s.local('newPage') as number;
  if (s.entry() !== s.local('orig') || s.page() !== s.local('origPage')) {
    s.unlockPtl();
    return { action: 'PTL: entry changed since the fault (pte_same fails): copy dropped', next: 'retry' };
  }
  s.flushTlbs();
  const fresh = model.make('present', { ...model.hardware.onRead, U: true });
  const installed = model.apply('maybe_mkwrite', model.apply('pte_mkdirty', fresh), s.pageFacts(to));
  s.setEntry(installed, to);
  s.unlockPtl();
  return { action: `PTL: pte_same; ptep_clear_flush; set_pte_at P${to}`, next: 'retry' };
}

function retryAccess(s: StepContext): StepOutcome {
  s.mmapReadUnlock();
  return { action: 'mmap_read_unlock; the write is retried', next: 'access' };
}

function uffdWait(s: StepContext): StepOutcome | null {
  if (s.model.test('userfaultfd_pte_wp', s.entry())) return null;
  return { action: 'woken: uffd-wp cleared; the write is retried', next: 'access' };
}

function writeSteps(facts: WriteFaultFacts): StepDef[] {
  return [
    { label: 'access', summary: 'the access through the TLB, or the hardware walk (sets Accessed/Dirty)', run: writeAccess },
    { label: 'fault', summary: 'mmap_read_lock', run: lockMmapForFault },
    {
      label: 'ptl',
      summary: `PTL; uffd-wp → handle_userfault; ${facts.flushWhenPending ? 'flush_tlb_page if uffd-wp VMA and mm_tlb_flush_pending; ' : ''}reuse in place, or decide to copy; unlock`,
      run: wpFault(facts),
    },
    { label: 'copy', summary: 'copy the page outside the PTL (__wp_page_copy_user)', run: copyPage },
    { label: 'install', summary: 'PTL; pte_same; ptep_clear_flush; set_pte_at the copy; unlock', run: installCopy },
    { label: 'retry', summary: 'mmap_read_unlock; retry the write', run: retryAccess },
    { label: 'uffd_wait', summary: 'wait until the entry is no longer uffd-wp protected, then retry', run: uffdWait },
  ];
}

const WRITE_FAULT_HELPERS = ['pte_mkyoung', 'pte_mkdirty', 'maybe_mkwrite', 'userfaultfd_pte_wp'];

const WRITE_VARIANTS: readonly OperationVariant[] = [
  {
    until: '5.9',
    source: 'mm/memory.c : do_wp_page, wp_page_copy (reuse_swap_page: reuse when this is the only mapping)',
    doc: 'reuses an anonymous page mapped once (exclusive); copies otherwise; no check of a pending flush',
    helpers: WRITE_FAULT_HELPERS,
    steps: writeSteps({ flushWhenPending: false, reuseIf: ['exclusive'], copyIf: [] }),
  },
  {
    since: '5.9',
    until: '5.12',
    source: 'mm/memory.c : do_wp_page, wp_page_copy ("mm: do_wp_page() simplification": reuse only at page_count 1)',
    doc: 'copies whenever the page has another reference (a pin, the swap cache: folio fact pinned); no check of a pending flush — the deferred-flush race of seed 003',
    helpers: WRITE_FAULT_HELPERS,
    steps: writeSteps({ flushWhenPending: false, reuseIf: ['exclusive'], copyIf: ['pinned'] }),
  },
  {
    since: '5.12',
    until: '5.19',
    source: 'mm/memory.c : do_wp_page ("mm/userfaultfd: fix memory corruption due to writeprotect": flush_tlb_page when userfaultfd_wp(vma) && mm_tlb_flush_pending(mm)), wp_page_copy',
    doc: 'as 5.9, but a uffd-wp VMA with a flush pending is flushed before the page is reused or copied',
    helpers: WRITE_FAULT_HELPERS,
    steps: writeSteps({ flushWhenPending: true, reuseIf: ['exclusive'], copyIf: ['pinned'] }),
  },
  {
    since: '5.19',
    source: 'mm/memory.c : do_wp_page (PageAnonExclusive reuse; the 5.12 flush kept), wp_page_copy',
    doc: 'reuses a PageAnonExclusive page even when pinned; the 5.12 flush stays',
    helpers: WRITE_FAULT_HELPERS,
    steps: writeSteps({ flushWhenPending: true, reuseIf: ['exclusive'], copyIf: [] }),
  },
];

// ---- userfaultfd write-protect and unprotect (UFFDIO_WRITEPROTECT) ----

/** The change of one entry under the PTL: wrprotect (+ uffd-wp), resolve, clear soft-dirty. */
type ProtectionChange = (s: StepContext, entry: string, folio: readonly string[]) => string;

/** How a page-table walk that changes protections is bracketed. */
interface Bracket {
  /** The mmap lock it holds: read (faults run concurrently) or write (they wait). */
  readonly mmap: 'read' | 'write';
  readonly gather: string;
  /** The flush at the end: only when an entry changed (the gathered range), or of the whole mm. */
  readonly flush: 'if-changed' | 'always';
  readonly flushName: string;
}

const MMAP_LOCK = {
  read: { take: (s: StepContext) => s.tryMmapRead(), release: (s: StepContext) => s.mmapReadUnlock(), name: 'mmap_read_lock', unlockName: 'mmap_read_unlock' },
  write: { take: (s: StepContext) => s.tryMmapWrite(), release: (s: StepContext) => s.mmapWriteUnlock(), name: 'mmap_write_lock', unlockName: 'mmap_write_unlock' },
};

function protectionSteps(what: string, change: ProtectionChange, bracket: Bracket): StepDef[] {
  const lock = MMAP_LOCK[bracket.mmap];
  return [
    {
      label: 'lock',
      summary: `${lock.name}${bracket.mmap === 'read' ? ' (faults run concurrently)' : ' (faults wait)'}`,
      run: (s) => (lock.take(s) ? { action: lock.name, next: 'gather' } : null),
    },
    {
      label: 'gather',
      summary: `inc_tlb_flush_pending (${bracket.gather})`,
      run: (s) => {
        s.incPending();
        return { action: 'inc_tlb_flush_pending', next: 'ptl' };
      },
    },
    {
      label: 'ptl',
      summary: `PTL; ${what} (ptep_modify_prot_start/commit); unlock — the flush is deferred`,
      run: (s) => {
        if (!s.tryLockPtl()) return null;
        const entry = s.entry();
        const page = s.page();
        const changed = s.model.hardwareReadable(entry) ? change(s, entry, s.pageFacts(page)) : entry;
        s.setEntry(changed, page);
        s.setLocal('changed', changed !== entry);
        s.unlockPtl();
        return { action: `PTL: ${changed === entry ? 'entry unchanged' : what}; unlock, flush deferred`, next: 'flush' };
      },
    },
    {
      label: 'flush',
      summary: `${bracket.flushName}${bracket.flush === 'if-changed' ? ' when an entry changed' : ''}`,
      run: (s) => {
        if (bracket.flush === 'if-changed' && s.local('changed') !== true) return { action: 'nothing changed: no flush', next: 'finish' };
        s.flushTlbs();
        return { action: `${bracket.flushName}: every CPU drops the translation`, next: 'finish' };
      },
    },
    {
      label: 'finish',
      summary: 'dec_tlb_flush_pending',
      run: (s) => {
        s.decPending();
        return { action: 'dec_tlb_flush_pending', next: 'unlock' };
      },
    },
    {
      label: 'unlock',
      summary: lock.unlockName,
      run: (s) => {
        lock.release(s);
        return { action: lock.unlockName, next: DONE };
      },
    },
  ];
}

/** UFFDIO_WRITEPROTECT: under the mmap read lock, the flush of the gathered range at the end. */
const UFFD_BRACKET: Bracket = { mmap: 'read', gather: 'tlb_gather_mmu', flush: 'if-changed', flushName: 'flush_tlb_range' };

const UFFD_SOURCE =
  'fs/userfaultfd.c : userfaultfd_writeprotect; mm/userfaultfd.c : mwriteprotect_range (mmap_read_lock; uffd_wp_range from 6.2); mm/mprotect.c : change_protection, change_pte_range — the range is flushed at its end, raising tlb_flush_pending first (change_protection_range before the mmu_gather conversion, tlb_gather_mmu/tlb_finish_mmu after)';

const wrprotectWithUffdWp: ProtectionChange = (s, entry) => s.model.apply('pte_mkuffd_wp', s.model.apply('pte_wrprotect', entry));
const resolveDemoting: ProtectionChange = (s, entry) => s.model.apply('pte_clear_uffd_wp', s.model.apply('pte_wrprotect', entry));
const resolveTryingWrite: ProtectionChange = (s, entry, folio) => {
  const resolved = resolveDemoting(s, entry, folio);
  return s.model.test('can_change_pte_writable', resolved, folio) ? s.model.apply('pte_mkwrite', resolved, folio) : resolved;
};

const UFFD_WP_VARIANTS: readonly OperationVariant[] = [
  {
    since: '5.7',
    source: UFFD_SOURCE,
    doc: 'MM_CP_UFFD_WP: pte_modify to the VMA protection without write, pte_mkuffd_wp; the TLB flush waits for the end of the range',
    helpers: ['pte_wrprotect', 'pte_mkuffd_wp'],
    steps: protectionSteps('wrprotect + uffd-wp', wrprotectWithUffdWp, UFFD_BRACKET),
  },
];

const UFFD_UNWP_VARIANTS: readonly OperationVariant[] = [
  {
    since: '5.7',
    until: '6.0',
    source: `${UFFD_SOURCE}; MM_CP_UFFD_WP_RESOLVE`,
    doc: 'pte_modify to vm_page_prot (read-only in a private VMA) then pte_clear_uffd_wp: an entry that was writable loses write — a demotion whose flush is deferred (the variant of the race in the fix\'s commit message)',
    helpers: ['pte_wrprotect', 'pte_clear_uffd_wp'],
    steps: protectionSteps('pte_modify (write dropped) + clear uffd-wp', resolveDemoting, UFFD_BRACKET),
  },
  {
    since: '6.0',
    source: `${UFFD_SOURCE}; MM_CP_UFFD_WP_RESOLVE | MM_CP_TRY_CHANGE_WRITABLE (vma_wants_manual_pte_write_upgrade)`,
    doc: 'as before, then pte_mkwrite when can_change_pte_writable(): an exclusive anonymous page keeps write',
    helpers: ['pte_wrprotect', 'pte_clear_uffd_wp', 'can_change_pte_writable', 'pte_mkwrite'],
    steps: protectionSteps('pte_modify + clear uffd-wp (+ write if can_change_pte_writable)', resolveTryingWrite, UFFD_BRACKET),
  },
];

// ---- clear_refs: echo 4 > /proc/PID/clear_refs (soft-dirty) ----

/** clear_soft_dirty: a pinned page in a COW mapping is skipped (pte_is_pinned), others wrprotected and cleaned of soft-dirty. */
const clearSoftDirty: ProtectionChange = (s, entry, folio) => {
  const { model } = s;
  const cow = model.vma.fact('VM_SHARED') !== model.sim.alg.TRUE && model.vma.fact('VM_MAYWRITE') === model.sim.alg.TRUE;
  if (model.test('pte_write', entry) && cow && folio.includes('pinned')) return entry;
  return model.apply('pte_clear_soft_dirty', model.apply('pte_wrprotect', entry));
};

const CLEAR_REFS_VARIANTS: readonly OperationVariant[] = [
  {
    since: '5.12',
    source:
      'fs/proc/task_mmu.c : clear_refs_write (mmap_write_lock since "mm: fix clear_refs_write locking", 5.11; inc_tlb_flush_pending … flush_tlb_mm … dec_tlb_flush_pending since "mm: proc: Invalidate TLB after clearing soft-dirty page state", 5.12), clear_soft_dirty, pte_is_pinned',
    doc: 'the walk runs under the mmap write lock, so no fault runs until the flush is done (the relaxed rule of SEMANTICS §5.5); a pinned page of a COW mapping is left writable',
    helpers: ['pte_wrprotect', 'pte_clear_soft_dirty', 'pte_write'],
    steps: protectionSteps('wrprotect + clear soft-dirty', clearSoftDirty, { mmap: 'write', gather: 'by hand', flush: 'always', flushName: 'flush_tlb_mm' }),
  },
];

// ---- the library ----

/** UFFDIO_WRITEPROTECT fails (-ENOENT) on a range not registered with UFFDIO_REGISTER_MODE_WP. */
const UFFD_REGISTERED = { name: 'VM_UFFD_WP', set: true, why: 'a VMA registered for uffd write-protect' };

export const OPERATIONS: readonly ConcurrentOperation[] = [
  {
    name: 'read',
    doc: 'A user read of the page: through the TLB, or a hardware walk that sets Accessed and caches the translation with its permissions.',
    params: [],
    variants: [{ source: 'the MMU (hardware.ts); read faults are not modelled', doc: 'one step', helpers: [], steps: [{ label: 'access', summary: 'TLB hit, or walk + fill', run: readAccess }] }],
  },
  {
    name: 'write',
    doc: 'A user write of the page: through a dirty writable TLB entry, by a walk that sets Dirty, or by the write fault (do_wp_page: reuse, or COW copy) and a retry.',
    params: [],
    variants: WRITE_VARIANTS,
  },
  {
    name: 'uffd_wp',
    vmaNeeds: [UFFD_REGISTERED],
    doc: 'UFFDIO_WRITEPROTECT with mode WP: write-protect and mark uffd-wp under the PTL, flush at the end of the range.',
    params: [],
    variants: UFFD_WP_VARIANTS,
  },
  {
    name: 'uffd_unwp',
    vmaNeeds: [UFFD_REGISTERED],
    doc: 'UFFDIO_WRITEPROTECT without mode WP: clear uffd-wp under the PTL (what happens to write depends on the version), flush at the end of the range.',
    params: [],
    variants: UFFD_UNWP_VARIANTS,
  },
  {
    name: 'clear_refs',
    doc: 'Clearing soft-dirty (echo 4 > /proc/PID/clear_refs) in a VMA that already tracks it: wrprotect and clear soft-dirty under the mmap write lock, flush at the end.',
    params: [],
    vmaNeeds: [{ name: 'VM_SOFTDIRTY', set: false, why: 'a VMA that already tracks soft-dirty (the first clear_refs also changes the VMA, which stays fixed here)' }],
    variants: CLEAR_REFS_VARIANTS,
  },
  {
    name: 'flush',
    doc: 'An explicit TLB flush of the page on every CPU.',
    params: [],
    variants: [
      {
        source: 'flush_tlb_page / flush_tlb_range (arch/x86/mm/tlb.c, arch/arm64/include/asm/tlbflush.h)',
        doc: 'one step',
        helpers: [],
        steps: [
          {
            label: 'flush',
            summary: 'every CPU drops the translation',
            run: (s) => {
              s.flushTlbs();
              return { action: 'flush_tlb_page: every CPU drops the translation', next: DONE };
            },
          },
        ],
      },
    ],
  },
];
