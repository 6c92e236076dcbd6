// The configuration a profile stands for, as the preprocessor sees it: the CONFIG_ macros of a
// typical build of the architecture (a table, stated here so that it can be read and changed),
// the profile's own switches on top, and what the compiler predefines. CPU features
// (X86_FEATURE_SHSTK) and run-time conditions (MIGRATION_ENTRY_AD) are not Kconfig symbols: the
// evaluator reads them from the profile.

import { CONFIG_SYMBOLS, type ArchName, type Profile } from '../../../simulator/src';

/**
 * Headers the page-table headers include that define no page-table bits, masks or helpers
 * (locking, scheduling, atomics, lists, printing …): not read, which halves the text to read.
 * Each is listed as skipped; a helper that needed something from one reports the name it
 * could not find, never a guess.
 */
export const SKIPPED_HEADERS: readonly RegExp[] = [
  /^include\/linux\/atomic\//, /^include\/linux\/(sched|wait|rcupdate|cpumask|seqlock|list|workqueue|bitmap|maple_tree|printk|lockdep|find|jiffies|string|rwsem|mutex|spinlock|spinlock_types|completion|uprobes|rbtree|mm_types|mm_types_task|percpu|refcount|kref|ktime|time|timer|nodemask|srcu|notifier|uaccess|fortify-string|gfp|mmzone|preempt|swapfile|sched\/.*)\.h$/,
  /^arch\/[^/]+\/include\/asm\/(msr-index|cpufeatures|percpu|processor|atomic|atomic64_64|cmpxchg|cmpxchg_64|barrier|spinlock|qspinlock|paravirt|paravirt_types|uaccess|string_64|fpu\/.*|special_insns)\.h$/,
];

/**
 * Types the page-table helpers use whose typedef is in a skipped header (`swp_entry_t`, and
 * 6.19's `softleaf_t`, an alias of it, are in mm_types.h), written as that header declares them; a tree's own typedef, when read, wins.
 */
export const SKIPPED_TYPEDEFS: Readonly<Record<string, string>> = {
  swp_entry_t: 'struct { unsigned long val; }',
  softleaf_t: 'struct { unsigned long val; }',
};

export interface ArchHeaders {
  /** Directory under arch/. */
  readonly archDir: string;
  /** Headers read, in order; what they include is read too. */
  readonly entries: readonly string[];
  /** Entries read for their own macros only (swap.h's type numbers; what it includes is most of the kernel). */
  readonly shallow: readonly string[];
  /** Kconfig symbols of a typical 64-bit build, `SYMBOL` (=1) or `SYMBOL=value`. */
  readonly baseConfig: readonly string[];
  readonly compiler: readonly string[];
}

const NOT_KCONFIG = new Set(['X86_FEATURE_SHSTK', 'MIGRATION_ENTRY_AD']);

const COMMON_CONFIG = ['MMU', '64BIT', 'PHYS_ADDR_T_64BIT', 'ARCH_HAS_PTE_SPECIAL', 'SPARSEMEM_VMEMMAP', 'SWAP', 'PAGE_SHIFT=12', 'HZ=250', 'TREE_RCU', 'TREE_SRCU'];
const COMPILER = ['__KERNEL__', '__GNUC__=13', '__GNUC_MINOR__=2', '__CHAR_BIT__=8', '__SIZEOF_LONG__=8', '__SIZEOF_POINTER__=8', '__LP64__', '_LP64',
  '__ORDER_LITTLE_ENDIAN__=1234', '__ORDER_BIG_ENDIAN__=4321', '__BYTE_ORDER__=__ORDER_LITTLE_ENDIAN__', '__STDC__', '__STDC_VERSION__=201112L'];

/** The page-table helpers, then the swap entry's own macros and conversions (`swp_type`, `swp_entry_to_pte` …; 6.19's `softleaf_*` in leafops.h, which older trees do not have). */
const SWAP_ENTRIES = ['include/linux/kconfig.h', 'include/linux/pgtable.h', 'include/linux/swap.h', 'include/linux/swapops.h', 'include/linux/leafops.h'];

export const ARCH_HEADERS: Readonly<Record<Exclude<ArchName, 'generic'>, ArchHeaders>> = {
  x86_64: {
    archDir: 'x86',
    entries: SWAP_ENTRIES,
    shallow: ['include/linux/swap.h'],
    baseConfig: [...COMMON_CONFIG, 'X86', 'X86_64', 'PGTABLE_LEVELS=5', 'HAVE_ARCH_SOFT_DIRTY', 'ARCH_HAS_PTE_DEVMAP', 'PAGE_SIZE_4KB'],
    compiler: [...COMPILER, '__x86_64__', '__x86_64', '__amd64__'],
  },
  arm64: {
    archDir: 'arm64',
    entries: SWAP_ENTRIES,
    shallow: ['include/linux/swap.h'],
    baseConfig: [...COMMON_CONFIG, 'ARM64', 'ARM64_4K_PAGES', 'ARM64_VA_BITS=48', 'ARM64_PA_BITS=48', 'ARM64_PA_BITS_48', 'PGTABLE_LEVELS=4', 'ARM64_HW_AFDBM', 'ARCH_HAS_PTE_DEVMAP', 'ARM64_PAGE_SHIFT=12', 'ARM64_CONT_PTE_SHIFT=4', 'ARM64_CONT_PMD_SHIFT=4'],
    compiler: [...COMPILER, '__aarch64__'],
  },
};

/** Macros defined before the first header for a profile. */
export function predefinedMacros(profile: Profile, arch: ArchHeaders): Map<string, string> {
  const defines = new Map<string, string>();
  const add = (item: string, prefix = '') => {
    const [name, value] = item.split('=') as [string, string | undefined];
    defines.set(prefix + name, value ?? '1');
  };
  arch.compiler.forEach((item) => add(item));
  arch.baseConfig.forEach((item) => add(item, 'CONFIG_'));
  // the profile decides every symbol it models: on when enabled, absent when not
  for (const symbol of Object.keys(CONFIG_SYMBOLS)) {
    if (NOT_KCONFIG.has(symbol)) continue;
    if (profile.config.has(symbol)) defines.set(`CONFIG_${symbol}`, '1');
    else defines.delete(`CONFIG_${symbol}`);
  }
  return defines;
}
