// What a CPU's MMU does with the entry, per architecture (SEMANTICS §1.2, §1.3, §5.1, §5.4):
// which bit lets a user write through, and which bits the hardware walk sets on a read and
// on a write. A TLB caches the translation with its permissions and whether it was dirty;
// a write through a clean cached translation goes back to the entry in memory to set the
// dirty state and faults if the entry no longer allows it (the architectural rule the
// kernel relies on: mm/rmap.c try_to_migrate_one comment; arm64 DBM updates the descriptor
// in memory with an atomic compare-and-swap).

import type { ArchName } from '../model/profile';

export interface HardwareAccess {
  /** The bit a hardware write needs (besides the present form). */
  readonly writableBit: string;
  /** Bits the walk sets on a read access. */
  readonly onRead: Readonly<Record<string, boolean>>;
  /** Bits the walk sets on a write access. */
  readonly onWrite: Readonly<Record<string, boolean>>;
  readonly source: string;
}

export const HARDWARE: Readonly<Record<ArchName, HardwareAccess>> = {
  x86_64: {
    writableBit: 'W',
    onRead: { A: true },
    onWrite: { A: true, D: true },
    source: 'x86 page walk: sets _PAGE_ACCESSED, and _PAGE_DIRTY on a write through a writable entry (never soft-dirty or SavedDirty)',
  },
  arm64: {
    writableBit: 'WR',
    onRead: { AF: true },
    onWrite: { AF: true, RO: false },
    source: 'arm64 FEAT_HAFDBS: hardware sets PTE_AF, and on a write through PTE_DBM (PTE_WRITE) clears PTE_RDONLY',
  },
  generic: {
    writableBit: 'W',
    onRead: { A: true },
    onWrite: { A: true, D: true },
    source: 'generic model: hardware-managed young and dirty, as on x86',
  },
};
