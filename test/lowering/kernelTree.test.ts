// Opt-in: lowers every function of a real kernel tree's mm/*.c and arch/x86/include/asm/pgtable.h
// and reports, per file, the functions lowered, the opaque statements and expressions, and the
// time taken. No exception and no failed function is allowed. Timings are reported, not asserted.
//
//   MMLENS_KERNEL_TREE=/path/to/linux node scripts/run-tests.mjs lowering/kernelTree

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { functionSpans } from '../../server/src/parsing';
import { irStats, lowerUnit } from '../../server/src/lowering';
import { testParser } from '../helpers/parser';

const tree = process.env.MMLENS_KERNEL_TREE;
const skip = tree ? (existsSync(join(tree, 'mm')) ? false : `MMLENS_KERNEL_TREE=${tree} has no mm/ directory`) : 'set MMLENS_KERNEL_TREE=/path/to/linux to lower mm/*.c and arch/x86/include/asm/pgtable.h';

test('every function of mm/*.c and arch/x86/include/asm/pgtable.h lowers', { skip }, async (t) => {
  const root = tree!;
  const parser = await testParser();
  const files = readdirSync(join(root, 'mm'))
    .filter((name) => name.endsWith('.c'))
    .sort()
    .map((name) => join('mm', name));
  const header = join('arch', 'x86', 'include', 'asm', 'pgtable.h');
  if (existsSync(join(root, header))) files.push(header);
  // warm up both stages (the first parse and lowering in a process are several times slower)
  const warm = parser.parse(readFileSync(join(root, files[0]!), 'utf8'));
  lowerUnit(warm, readFileSync(join(root, files[0]!), 'utf8'));
  parser.release(warm);
  const totals = { functions: 0, opaqueStatements: 0, opaqueExpressions: 0, failed: 0, parseMs: 0, lowerMs: 0, bytes: 0 };
  t.diagnostic(`${'file'.padEnd(36)} ${'functions'.padStart(9)} ${'opaque st'.padStart(9)} ${'opaque ex'.padStart(9)} ${'parse ms'.padStart(9)} ${'lower ms'.padStart(9)}`);
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const t0 = performance.now();
    const parsed = parser.parse(text);
    const t1 = performance.now();
    let stats;
    let spans: number;
    let t2: number;
    try {
      const unit = lowerUnit(parsed, text);
      t2 = performance.now();
      stats = irStats(unit);
      spans = functionSpans(parsed).length;
    } finally {
      parser.release(parsed);
    }
    assert.equal(stats.failedFunctions, 0, `${file}: functions failed to lower`);
    assert.equal(stats.functions, spans, `${file}: every function definition the parser sees is lowered`);
    totals.functions += stats.functions;
    totals.opaqueStatements += stats.opaqueStatements;
    totals.opaqueExpressions += stats.opaqueExpressions;
    totals.parseMs += t1 - t0;
    totals.lowerMs += t2 - t1;
    totals.bytes += text.length;
    t.diagnostic(
      `${file.padEnd(36)} ${String(stats.functions).padStart(9)} ${String(stats.opaqueStatements).padStart(9)} ${String(stats.opaqueExpressions).padStart(9)} ${(t1 - t0).toFixed(1).padStart(9)} ${(t2 - t1).toFixed(1).padStart(9)}`,
    );
  }
  t.diagnostic(
    `${`total (${files.length} files, ${(totals.bytes / 1024).toFixed(0)} KB)`.padEnd(36)} ${String(totals.functions).padStart(9)} ${String(totals.opaqueStatements).padStart(9)} ${String(totals.opaqueExpressions).padStart(9)} ${totals.parseMs.toFixed(0).padStart(9)} ${totals.lowerMs.toFixed(0).padStart(9)}`,
  );
  assert.ok(totals.functions > 0);
});
