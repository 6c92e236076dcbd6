// The words a scenario's `vma` line may use: a kind of mapping (what mmap made), access words,
// and flags by name. A new mapping starts with VM_SOFTDIRTY set (mm/vma.c __mmap_region():
// "vm_flags |= VM_SOFTDIRTY"), so every page reads soft-dirty until clear_refs clears the flag.

import { FOLIO_FACTS, MM_FACTS, VM_FLAGS, VMA_FACTS } from '../model/context';

export interface VmaKind {
  readonly name: string;
  readonly what: string;
  readonly facts: readonly string[];
}

const NEW_MAPPING = ['VM_MAYREAD', 'VM_MAYWRITE', 'VM_MAYEXEC', 'VM_SOFTDIRTY'];

export const VMA_KINDS: readonly VmaKind[] = [
  { name: 'anon', what: 'MAP_PRIVATE | MAP_ANONYMOUS: private anonymous memory', facts: [...NEW_MAPPING, 'anonymous'] },
  { name: 'shmem', what: 'MAP_SHARED of shmem/tmpfs (or MAP_SHARED | MAP_ANONYMOUS): no writeback, no page_mkwrite', facts: [...NEW_MAPPING, 'VM_SHARED', 'VM_MAYSHARE'] },
  { name: 'file', what: 'MAP_PRIVATE of a regular file: copy-on-write over the page cache', facts: [...NEW_MAPPING] },
  { name: 'file-shared', what: 'MAP_SHARED of a file whose filesystem tracks dirty pages (page_mkwrite, writeback)', facts: [...NEW_MAPPING, 'VM_SHARED', 'VM_MAYSHARE', 'dirty_accountable'] },
];

/** Access words: `vma shmem read write`. */
export const ACCESS_WORDS: Readonly<Record<string, string>> = { read: 'VM_READ', write: 'VM_WRITE', exec: 'VM_EXEC' };

/**
 * Facts of a VMA that only scenarios state: the filesystem wants write notification for its own
 * sake (vma_wants_writenotify(): vm_ops_needs_writenotify() or vma_fs_can_writeback()).
 */
export const SCENARIO_VMA_FACTS = ['dirty_accountable'] as const;

export const KNOWN_VMA_FACTS: ReadonlySet<string> = new Set<string>([...VM_FLAGS, ...VMA_FACTS, ...SCENARIO_VMA_FACTS]);
export const KNOWN_FOLIO_FACTS: ReadonlySet<string> = new Set<string>(FOLIO_FACTS);
export const KNOWN_MM_FACTS: ReadonlySet<string> = new Set<string>(MM_FACTS);

/**
 * The VMA facts a `vma` line's words give, or a message naming the word that is not one.
 * `!FLAG` removes a fact a kind brought.
 */
export function vmaFacts(words: readonly string[]): { facts: string[] } | { error: string } {
  const facts = new Set<string>();
  for (const word of words) {
    const kind = VMA_KINDS.find((k) => k.name === word);
    if (kind) {
      for (const fact of kind.facts) facts.add(fact);
      continue;
    }
    if (ACCESS_WORDS[word]) {
      facts.add(ACCESS_WORDS[word]!);
      continue;
    }
    const negated = word.startsWith('!');
    const name = word.replace(/^!/, '');
    if (!KNOWN_VMA_FACTS.has(name)) {
      return { error: `"${word}" is not a VMA kind (${VMA_KINDS.map((k) => k.name).join(', ')}), access word (read, write, exec) or VMA fact (${[...KNOWN_VMA_FACTS].join(', ')})` };
    }
    if (negated) facts.delete(name);
    else facts.add(name);
  }
  return { facts: [...facts] };
}
