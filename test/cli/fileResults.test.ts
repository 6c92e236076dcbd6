// A second `mmlens check` of an unchanged tree takes each checked file's whole result from the
// cache directory, as a new process would find it: nothing parsed, lowered or analysed. An edit
// to a definition of the tree sends back to analysis only the files that reached it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callSitesOf } from '../../server/src/analysis/callSites';
import { analyzeForCheck, checkCounts, forgetCheckMemory, type CheckSettings } from '../../server/src/cli/checkDocument';
import type { CParser } from '../../server/src/parsing';
import { fakeKernelTree } from '../helpers/fakeKernelTree';
import { testParser } from '../helpers/parser';
import { mmFile, SET_ENTRY, setEntryCaller } from '../helpers/treeSources';

/** A dirty bit set on what another slot held: a finding of its own, reaching nothing of the tree. */
const COPY_DIRTY = `void copy_dirty(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = pte_mkdirty(ptep_get(ptep));

	set_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

/** mm/a.c (not checked) defines set_entry; mm/c.c calls it, mm/d.c does not. */
const FILES = { 'mm/a.c': mmFile(SET_ENTRY), 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')), 'mm/d.c': mmFile(COPY_DIRTY) };
const CHECKED = ['mm/c.c', 'mm/d.c'];

/** The parser, counting the texts it parses. */
function counting(parser: CParser): { readonly parser: CParser; readonly parses: () => number } {
  let parses = 0;
  const proxy = new Proxy(parser, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'parse') parses++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { parser: proxy, parses: () => parses };
}

/** One run over the checked files, started afresh as a new process is: the findings of each file, and what was parsed, lowered, analysed and reused. */
async function run(root: string, cacheDirectory: string) {
  forgetCheckMemory();
  const { parser, parses } = counting(await testParser());
  const documents = CHECKED.map((path) => ({ path, text: FILES[path as keyof typeof FILES] }));
  const settings: CheckSettings = { cwd: root, callSites: callSitesOf(documents), checkedPaths: CHECKED, cacheDirectory };
  const findings = documents.map((document) => analyzeForCheck(parser, document, settings).findings.map((f) => `${f.rule} ${f.function}:${f.range.start.line}`));
  const { files, functions, treeLowered } = checkCounts();
  return { findings, parses: parses(), lowered: (functions?.lowered ?? 0) + treeLowered, analysed: functions?.analysed ?? 0, files: { ...files } };
}

test('a second run over an unchanged tree parses, lowers and analyses nothing, and finds the same', async () => {
  const root = fakeKernelTree({ version: '6.19', files: FILES });
  const cache = mkdtempSync(join(tmpdir(), 'mmlens-cache-'));
  const first = await run(root, cache);
  assert.ok(first.findings.every((found) => found.length > 0), JSON.stringify(first.findings));
  assert.ok(first.parses > 0 && first.lowered > 0 && first.analysed > 0);
  assert.deepEqual(first.files, { reused: 0, analysed: 2 });
  const second = await run(root, cache);
  assert.deepEqual(second.findings, first.findings);
  assert.deepEqual({ parses: second.parses, lowered: second.lowered, analysed: second.analysed, files: second.files }, { parses: 0, lowered: 0, analysed: 0, files: { reused: 2, analysed: 0 } });
});

test('an edit to a definition of the tree analyses again only the checked files that reached it', async () => {
  const root = fakeKernelTree({ version: '6.19', files: FILES });
  const cache = mkdtempSync(join(tmpdir(), 'mmlens-cache-'));
  const first = await run(root, cache);
  // set_entry no longer makes the entry writable: force_entry's finding goes
  writeFileSync(join(root, 'mm', 'a.c'), mmFile(SET_ENTRY.replace('pte = pte_mkwrite(pte, vma);', 'pte = pte_mkclean(pte);')));
  const edited = await run(root, cache);
  assert.deepEqual(edited.files, { reused: 1, analysed: 1 });
  assert.notDeepEqual(edited.findings[0], first.findings[0]);
  assert.deepEqual(edited.findings[1], first.findings[1]);
});
