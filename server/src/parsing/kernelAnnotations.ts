// Kernel annotation macros that tree-sitter's C grammar cannot place (they sit where a
// declarator or a body is expected) are replaced by spaces before parsing. Each replaced
// character becomes one space and line endings are kept, so every offset, line and column of
// the blanked text is the same as in the original: trees need no position remapping.

import { scanC } from './cTokens';

/** Annotations written as a bare word: `static int __init f(void)`, `char __user *buf`. */
export const KERNEL_ANNOTATION_WORDS: ReadonlySet<string> = new Set([
  '__init', '__exit', '__meminit', '__meminitdata', '__initdata', '__initconst', '__exitdata',
  '__init_or_module', '__initdata_or_module', '__ref', '__refdata', '__refconst',
  '__read_mostly', '__ro_after_init', '__always_inline', 'noinline', 'noinline_for_stack',
  '__maybe_unused', '__always_unused', '__used', '__weak', '__user', '__kernel', '__iomem',
  '__percpu', '__rcu', '__force', '__nocast', '__bitwise', '__safe', '__private',
  '__must_check', '__cold', '__hot', '__pure', '__noreturn', '__visible', '__flatten',
  '__malloc', '__packed', '__latent_entropy', '__randomize_layout', '__no_randomize_layout',
  '__attribute_const__', '__sched', '__lockfunc', '__deprecated', '__nonstring',
  '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__page_aligned_data', '__page_aligned_bss',
  'notrace', 'noinstr', '__cpuidle', 'asmlinkage', '__nocfi', '__no_sanitize_address',
  '__no_kcsan', '__no_kmsan_checks',
]);

/** Annotations that take arguments: `__must_hold(&vma->vm_mm->mmap_lock)`; the arguments go too. */
export const KERNEL_ANNOTATION_CALLS: ReadonlySet<string> = new Set([
  '__must_hold', '__acquires', '__releases', '__cond_acquires', '__cond_releases',
  '__acquires_shared', '__releases_shared', '__must_hold_shared', '__guarded_by', '__pt_guarded_by',
  '__aligned', '__section', '__printf', '__scanf', '__free', '__cleanup', '__counted_by',
  '__alloc_size', '__assume_aligned', '__nonnull', '__no_sanitize_or_inline',
]);

/**
 * Returns `text` with kernel annotation macros (and the parenthesised arguments of the call-like
 * ones) replaced by spaces. Comments, strings and preprocessor lines are left alone. The result
 * has the same length, and the same line breaks at the same offsets.
 */
export function blankKernelAnnotations(text: string): string {
  const spans: Array<[number, number]> = [];
  // state of a call-like annotation being read: its name's span, then the depth inside its parentheses
  let call: { start: number; nameEnd: number; depth: number } | undefined;
  scanC(text, (kind, start, end) => {
    if (call) {
      if (kind === 'comment') return;
      const ch = kind === 'punctuation' ? text.charCodeAt(start) : 0;
      if (call.depth === 0 && ch !== 40 /* ( */) {
        spans.push([call.start, call.nameEnd]); // no arguments after all
        call = undefined;
      } else if (kind === 'preprocessor') {
        spans.push([call.start, call.nameEnd]); // never blank across a directive
        call = undefined;
        return;
      } else {
        if (ch === 40) call.depth++;
        else if (ch === 41 /* ) */ && --call.depth === 0) {
          spans.push([call.start, end]);
          call = undefined;
        }
        return;
      }
    }
    if (kind !== 'identifier' || !mayBeAnnotation(text.charCodeAt(start))) return;
    const word = text.slice(start, end);
    if (KERNEL_ANNOTATION_WORDS.has(word)) spans.push([start, end]);
    else if (KERNEL_ANNOTATION_CALLS.has(word)) call = { start, nameEnd: end, depth: 0 };
  });
  if (call) spans.push([call.start, call.nameEnd]); // unbalanced at the end: blank only the name
  if (spans.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    out += text.slice(from, start) + spacesKeepingLineBreaks(text, start, end);
    from = end;
  }
  return out + text.slice(from);
}

/** Every annotation starts with `_`, `n` (noinline, notrace, noinstr) or `a` (asmlinkage). */
function mayBeAnnotation(firstChar: number): boolean {
  return firstChar === 95 || firstChar === 110 || firstChar === 97;
}

function spacesKeepingLineBreaks(text: string, start: number, end: number): string {
  const slice = text.slice(start, end);
  return /[\r\n]/.test(slice) ? slice.replace(/[^\r\n]/g, ' ') : ' '.repeat(end - start);
}
