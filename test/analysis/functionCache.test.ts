// The language server's per-function cache: the same results as analysing from scratch, and
// after an edit only the functions it touched and their callers are analysed again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, type DocumentAnalysis, type DocumentOptions } from '../../server/src/analysis/analyzeDocument';
import { FunctionCache } from '../../server/src/analysis/functionCache';
import { DocumentTreeStore } from '../../server/src/parsing';
import { kernelLikeSource } from '../helpers/kernelLike';
import { testParser } from '../helpers/parser';

const SOURCE = `/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE VM_SOFTDIRTY; folio anon exclusive */

static pte_t lens_make_writable(struct vm_area_struct *vma, pte_t pte)
{
	return pte_mkwrite(pte, vma);
}

static void lens_install(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = lens_make_writable(vma, pte_mkuffd_wp(ptep_get(ptep)));

	set_pte_at(vma->vm_mm, addr, ptep, pte);
}

static void lens_unrelated(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	ptep_set_wrprotect(vma->vm_mm, addr, ptep);
	flush_tlb_range(vma, addr, addr + PAGE_SIZE);
}
`;

/** A document analysed through one cache, as the server does it (incremental tree, findings only). */
async function session(options: Pick<DocumentOptions, 'startBudget'> = {}) {
  const parser = await testParser();
  const cache = new FunctionCache();
  const trees = new DocumentTreeStore(parser);
  let version = 0;
  const analyse = (text: string): DocumentAnalysis => {
    version++;
    const kept = trees.get('doc') ? trees.update('doc', version, [{ text }]) : trees.open('doc', version, text);
    return analyzeDocument(parser, text, { languageId: 'c', detail: 'findings', cache, sourceTree: () => kept!.tree, ...options });
  };
  return { parser, cache, analyse };
}

const plain = async (text: string) => analyzeDocument(await testParser(), text, { languageId: 'c', detail: 'findings' });
const comparable = (analysis: DocumentAnalysis) => JSON.stringify({ functions: analysis.functions, findings: analysis.findings });

test('the same results as an analysis without a cache', async () => {
  const { analyse } = await session();
  const text = `${SOURCE}\n${kernelLikeSource(12, 7)}`;
  const cached = analyse(text);
  assert.ok(cached.findings.length > 0);
  assert.equal(comparable(cached), comparable(await plain(text)));
});

test('an edit in a function analyses it and its callers again, nothing else', async () => {
  const { analyse, cache } = await session();
  analyse(SOURCE);
  assert.equal(cache.counts.analysed, 3);
  const edited = SOURCE.replace('return pte_mkwrite(pte, vma);', 'return maybe_mkwrite(pte, vma);');
  const analysis = analyse(edited);
  assert.equal(cache.counts.analysed, 5, 'lens_make_writable and its caller lens_install');
  assert.equal(cache.counts.lowered, 4, 'only the edited function is lowered again');
  assert.equal(comparable(analysis), comparable(await plain(edited)));
  analyse(edited.replace('addr + PAGE_SIZE', 'addr + 2 * PAGE_SIZE'));
  assert.equal(cache.counts.analysed, 6, 'lens_unrelated alone');
});

test('an edit that leaves a function\'s summary as it was analyses that function alone, not its callers', async () => {
  const { analyse, cache } = await session();
  analyse(SOURCE);
  const edited = SOURCE.replace('\treturn pte_mkwrite(pte, vma);', '\tpte_t made = pte_mkwrite(pte, vma);\n\n\treturn made;');
  const analysis = analyse(edited);
  assert.equal(cache.counts.analysed, 4, 'lens_make_writable alone: lens_install calls it, but what it does is the same');
  assert.equal(comparable(analysis), comparable(await plain(edited)));
});

test('a space, a comment or a line break typed in a function moves its results onto the new text without analysing it', async () => {
  const { analyse, cache } = await session();
  const text = `${SOURCE}\n${kernelLikeSource(12, 7)}`;
  analyse(text);
  const analysed = cache.counts.analysed;
  const install = 'set_pte_at(vma->vm_mm, addr, ptep, pte);';
  const edits = [
    text.replace(install, 'set_pte_at(vma->vm_mm, addr, ptep, pte) ;'),
    text.replace(install, '/* the entry, now writable */ set_pte_at(vma->vm_mm, addr,   ptep, pte);'),
    text.replace(install, 'set_pte_at(vma->vm_mm, addr,\n\t\t   ptep, pte);'),
  ];
  for (const edited of edits) {
    const analysis = analyse(edited);
    assert.equal(comparable(analysis), comparable(await plain(edited)));
    assert.ok(analysis.findings.some((f) => f.function === 'lens_install'), 'lens_install has findings to move');
  }
  assert.equal(cache.counts.analysed, analysed, 'no function analysed again');
  assert.equal(cache.counts.moved, 3);
});

test('lines inserted above functions move their results without analysing them again', async () => {
  const { analyse, cache } = await session();
  analyse(SOURCE);
  const moved = SOURCE.replace('\nstatic pte_t lens_make_writable', '\n/* a comment\n * over two lines */\nstatic pte_t lens_make_writable');
  const analysis = analyse(moved);
  assert.equal(cache.counts.analysed, 3);
  assert.equal(comparable(analysis), comparable(await plain(moved)));
});

test('a file-level annotation that changes analyses everything again', async () => {
  const { analyse, cache } = await session();
  analyse(SOURCE);
  analyse(SOURCE.replace('VM_SOFTDIRTY;', 'VM_SOFTDIRTY VM_UFFD_WP;'));
  assert.equal(cache.counts.analysed, 6);
});

test('the full detail of a function, on demand: every path step by step, every call site', async () => {
  const { analyse, cache } = await session();
  const analysis = analyse(SOURCE);
  const install = analysis.functions.find((fn) => fn.name === 'lens_install')!;
  assert.deepEqual(install.callSites, [], 'the document analysis keeps findings only');
  const detail = cache.detail(install)!;
  assert.ok(detail.analysis.paths.every((p) => p.events.length > 0));
  assert.ok(detail.analysis.callSites.some((c) => c.callee === 'pte_mkuffd_wp'));
  assert.equal(detail.ir.name, 'lens_install');
  assert.equal(cache.detail({ ...install }), undefined, 'only functions the cache returned');
});

test('with an owner, the cache holds what the document is made of now, not every version it had', async () => {
  const parser = await testParser();
  const cache = new FunctionCache(undefined, 4);
  const text = `${SOURCE}\n${kernelLikeSource(12, 7)}`;
  const analyse = (version: string) => {
    const retention = { owner: 'doc', used: new Set<string>() };
    const analysis = analyzeDocument(parser, version, { languageId: 'c', detail: 'findings', cache, retention });
    cache.retain(retention);
    return analysis;
  };
  const first = analyse(text);
  const held = cache.counts.analysed;
  for (let i = 0; i < 30; i++) analyse(text.replace('return pte_mkwrite(pte, vma);', `pte_t made_${i} = pte_mkwrite(pte, vma);\n\treturn made_${i};`));
  const back = analyse(text);
  assert.equal(comparable(back), comparable(first));
  assert.ok(cache.counts.analysed >= held + 30, 'each edit analysed the edited function again');
  assert.equal(cache.heldAnalyses, first.functions.length, 'one analysis held per function, none of the 30 edited versions');
  cache.release('doc');
  analyse(text);
  assert.ok(cache.counts.analysed > held + 30, 'after release the spares (4) no longer hold the whole document');
});

test('an analysis its time budget cut short is not kept: the next run analyses the function again', async () => {
  const { analyse, cache } = await session({ startBudget: () => () => true });
  const first = analyse(SOURCE);
  assert.ok(first.functions.every((fn) => fn.boundsHit.some((bound) => /time budget/.test(bound))));
  analyse(SOURCE);
  assert.equal(cache.counts.analysed, 6, 'all three analysed twice');
});
