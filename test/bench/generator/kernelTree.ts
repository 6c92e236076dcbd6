// A tree of kernel-like C files shaped like mm/: a few large files (5,000–8,000 lines, like
// memory.c or huge_memory.c) and many of 500–2,000 lines. The plan is deterministic in the seed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from './random';
import { kernelLikeFile } from './kernelFile';

export interface PlannedFile {
  readonly name: string;
  readonly lines: number;
  readonly seed: number;
}

export interface GeneratedFile {
  readonly path: string;
  readonly lines: number;
}

export interface GeneratedTree {
  readonly dir: string;
  readonly files: readonly GeneratedFile[];
  readonly lines: number;
}

const STEMS = ['memory', 'huge_memory', 'mprotect', 'userfaultfd', 'rmap', 'migrate', 'swapfile', 'madvise', 'khugepaged', 'mremap', 'gup', 'pagewalk', 'ksm', 'mlock', 'mmap', 'filemap', 'shmem', 'hugetlb', 'page_vma_mapped', 'pgtable'];

/** File names and sizes adding up to about `totalLines`: one large file per 50,000 lines (at least one). */
export function planKernelTree(totalLines: number, seed: number): PlannedFile[] {
  const random = new Random(seed);
  const large = Math.max(1, Math.round(totalLines / 50_000));
  const files: PlannedFile[] = [];
  let planned = 0;
  for (let i = 0; planned < totalLines; i++) {
    const wanted = i < large ? 5000 + random.below(3001) : 500 + random.below(1501);
    const lines = Math.min(wanted, Math.max(totalLines - planned, 40));
    const stem = STEMS[i % STEMS.length]!;
    const round = Math.floor(i / STEMS.length);
    files.push({ name: `${stem}${round === 0 ? '' : `_${round}`}.c`, lines, seed: seed * 10_007 + i });
    planned += lines;
  }
  return files;
}

/** Writes the planned tree into `dir` (created if missing). */
export function writeKernelTree(dir: string, totalLines: number, seed = 1): GeneratedTree {
  mkdirSync(dir, { recursive: true });
  const files = planKernelTree(totalLines, seed).map((file, i) => {
    const text = kernelLikeFile({ lines: file.lines, seed: file.seed, prefix: `g${i}` });
    const path = join(dir, file.name);
    writeFileSync(path, text);
    return { path, lines: lineCount(text) };
  });
  return { dir, files, lines: files.reduce((n, f) => n + f.lines, 0) };
}

export function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}
