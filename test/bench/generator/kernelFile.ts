// One file of kernel-like C: a header, a few declarations, then functions of the shapes in
// shapes.ts until the file has the requested number of lines. Deterministic in the seed: the
// same options give byte-identical text on every machine.

import { Random } from './random';
import { kernelDoc, leadingAnnotation, SHAPE_WEIGHTS, SHAPES, type ShapeName } from './shapes';

export interface KernelFileOptions {
  /** At least this many lines (the last function finishes the file); 1 gives one function. */
  readonly lines: number;
  readonly seed: number;
  /** Function names start with it; distinct per file so that a tree never defines a name twice. */
  readonly prefix: string;
}

const HEADER = `// SPDX-License-Identifier: GPL-2.0
/*
 * Generated in the style of mm/*.c for the mmlens bench; not kernel code.
 */

#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/userfaultfd_k.h>
#include <asm/tlbflush.h>

#define GEN_BATCH_PAGES	16
#define gen_range_pages(start, end)	(((end) - (start)) >> PAGE_SHIFT)

struct gen_walk_state {
	struct vm_area_struct *vma;
	unsigned long addr;
	unsigned long end;
	int nr_changed;
};

static int gen_walk_enabled __read_mostly = 1;
`;

function drawShape(random: Random): ShapeName {
  const total = SHAPE_WEIGHTS.reduce((n, [, weight]) => n + weight, 0);
  let at = random.below(total);
  for (const [name, weight] of SHAPE_WEIGHTS) {
    if (at < weight) return name;
    at -= weight;
  }
  return SHAPE_WEIGHTS[0]![0];
}

export function kernelLikeFile({ lines, seed, prefix }: KernelFileOptions): string {
  const random = new Random(seed);
  const parts = [HEADER];
  let count = HEADER.split('\n').length - 1;
  let predicateHelper: string | undefined;
  let entryWorker: string | undefined;
  for (let i = 0; i === 0 || count < lines; i++) {
    let shape = drawShape(random);
    // a walk needs a worker defined before it
    if (shape === 'walkCallingWorker' && !entryWorker) shape = 'entryWorker';
    const name = `${prefix}_${shape.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_${i}`;
    let text = SHAPES[shape]({
      random,
      name,
      ...(predicateHelper ? { predicateHelper } : {}),
      ...(entryWorker ? { entryWorker } : {}),
    });
    if (random.chance(0.15)) text = kernelDoc(name) + text;
    if (random.chance(0.04)) text = leadingAnnotation(random) + text;
    if (shape === 'predicateHelper') predicateHelper = name;
    if (shape === 'entryWorker') entryWorker = name;
    parts.push(`\n${text}`);
    count += text.split('\n').length;
  }
  return parts.join('');
}
