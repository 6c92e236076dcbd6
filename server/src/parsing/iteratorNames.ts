// Names of kernel iterator macros: `list_for_each_entry(pos, head, member) { … }` and kin are
// loops the C grammar cannot know. The parser rewrites their headers and the lowering reads them.

/** Macros shaped like iterators that run their body exactly once. */
export const ONCE_MACROS: ReadonlySet<string> = new Set(['scoped_guard', 'scoped_cond_guard']);

/** `list_for_each_entry`, `for_each_vma_range`, `xa_for_each`, `hash_for_each_possible`, `pte_for_each_…`. */
export function looksLikeIterator(name: string): boolean {
  return /(^|_)for(_|each)|each(_|$)|foreach|^scoped_/i.test(name);
}
