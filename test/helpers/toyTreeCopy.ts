// The toy kernel tree copied into a temporary directory, so a test can edit its headers on disk
// and put C files in it (code that lives in a tree).

import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TOY_TREE } from './toyTree';

export function toyTreeCopy(files: Readonly<Record<string, string>> = {}): string {
  const root = join(mkdtempSync(join(tmpdir(), 'mmlens-toy-')), 'linux');
  cpSync(TOY_TREE, root, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Replaces `from` (required to be there) by `to` in a file of a tree on disk. */
export function editFile(root: string, path: string, from: string, to: string): void {
  const text = readFileSync(join(root, path), 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no "${from}"`);
  writeFileSync(join(root, path), text.replace(from, to));
}

/**
 * mprotect of a writable dirty huge PMD, as code in a tree (`mm/huge.c` of a copy): dirt is
 * lost exactly when the tree's pmd_modify drops it.
 */
export const PROTECT_HUGE = `/* written for mmlens tests */
/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE; folio anon exclusive; *pmdp present W=1 D=1 */
static void protect_huge(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp)
{
	pmd_t old = pmdp_invalidate_ad(vma, addr, pmdp);
	pmd_t entry = pmd_modify(old, vma->vm_page_prot);

	set_pmd_at(vma->vm_mm, addr, pmdp, entry);
	flush_pmd_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE);
}
`;

/** The edit that makes the toy tree's pmd_modify keep hardware dirt. */
export const KEEPS_DIRT: [from: string, to: string] = ['toy_u64 keep = TOY_KEEP_ON_MODIFY & ~_PAGE_DIRTY;', 'toy_u64 keep = TOY_KEEP_ON_MODIFY;'];
