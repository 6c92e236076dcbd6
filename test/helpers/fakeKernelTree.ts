// A kernel tree as mmlens recognizes one, written by the test into a temporary directory: a
// top-level Makefile with the version variables, arch/ and include/, a .config when asked.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FakeTree {
  /** `6.1.55`, `6.3-rc2`: VERSION.PATCHLEVEL[.SUBLEVEL][EXTRAVERSION]. */
  readonly version: string;
  /** The lines of a .config (CONFIG_X=y …); none: no .config. */
  readonly config?: readonly string[];
  /** Files to write inside the tree, by relative path. */
  readonly files?: Readonly<Record<string, string>>;
}

export function fakeKernelTree(tree: FakeTree): string {
  const root = mkdtempSync(join(tmpdir(), 'mmlens-tree-'));
  const [, major, minor, sublevel, extra] = /^(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(tree.version)!;
  writeFileSync(
    join(root, 'Makefile'),
    `VERSION = ${major}\nPATCHLEVEL = ${minor}\nSUBLEVEL = ${sublevel ?? 0}\nEXTRAVERSION =${extra ? ` ${extra}` : ''}\nNAME = Test Tree\n`,
  );
  for (const directory of ['arch/x86/include/asm', 'include/linux', 'mm']) mkdirSync(join(root, directory), { recursive: true });
  if (tree.config) writeFileSync(join(root, '.config'), ['# written by an mmlens test', ...tree.config, ''].join('\n'));
  for (const [path, text] of Object.entries(tree.files ?? {})) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A .config for x86_64 with everything the model knows enabled except what `without` names. */
export function x86Config(without: readonly string[] = []): string[] {
  const on = ['X86_64', 'X86', 'MMU', 'MEM_SOFT_DIRTY', 'HAVE_ARCH_USERFAULTFD_WP', 'USERFAULTFD', 'PTE_MARKER_UFFD_WP', 'X86_USER_SHADOW_STACK', 'NUMA_BALANCING', 'TRANSPARENT_HUGEPAGE', 'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD', 'ARCH_ENABLE_THP_MIGRATION', 'MIGRATION', 'DEVICE_PRIVATE', 'MEMORY_FAILURE', 'ARCH_SUPPORTS_PMD_PFNMAP', 'ARCH_SUPPORTS_PUD_PFNMAP'];
  return on.flatMap((symbol) => (without.includes(symbol) ? [`# CONFIG_${symbol} is not set`] : [`CONFIG_${symbol}=y`]));
}
