// The real-fix harness: the data file is well-formed, functions are found in C text, and,
// when the local cache holds fixes (see docs/real-fixes.md), every cached file contains its
// function and the runner produces totals. No caught count is asserted: the engine changes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleIds } from '../../simulator/src/hazards/catalogue';
import { testParser as loadParser } from '../helpers/parser';
import { readFixData, validateFixData, SIDES, type RealFix } from './data';
import { evaluateFix, scoreFix, totalsOf, type SideOutcome } from './evaluate';
import { definitionsByTokens, extractFunction } from './extract';
import { formatTotals, parseRunArgs } from './run';
import { readCachedSide, sourceEnvironment } from './sources';

const RULES = new Set(ruleIds());

const GOOD_FIX = {
  id: 'demo-fix',
  kind: 'dirty',
  subject: 'mm: keep the dirty bit',
  commit: '0123456789ab',
  release: '6.2',
  repository: 'torvalds/linux',
  path: 'mm/demo.c',
  function: 'demo_restore',
  arch: 'x86_64',
  expected: ['dirty-lost'],
  buggy: { commit: '0123456789ab^', trees: [{ repository: 'someone/linux-6.1.20', release: '6.1.20' }] },
  fixed: { commit: '0123456789ab', trees: [] },
};

test('a well-formed entry passes validation', () => {
  assert.deepEqual(validateFixData({ fixes: [GOOD_FIX] }, RULES), []);
});

test('validation names each missing or wrong fact', () => {
  const bad = { ...GOOD_FIX, commit: 'xyz', expected: ['no-such-rule'], function: 'not a name', buggy: { commit: 'wrong', trees: [{ repository: 'nope', release: 'six' }] } };
  const problems = validateFixData({ fixes: [bad] }, RULES);
  for (const part of ['commit must be', 'no-such-rule does not exist', 'function must be', 'buggy: commit must be', 'repository must be owner/name', 'release must look like']) {
    assert.ok(problems.some((p) => p.includes(part)), `expected a problem about "${part}" in:\n${problems.join('\n')}`);
  }
});

test('validation refuses duplicate ids and a missing fixes array', () => {
  assert.ok(validateFixData({ fixes: [GOOD_FIX, GOOD_FIX] }, RULES).some((p) => p.includes('not unique')));
  assert.deepEqual(validateFixData({}, RULES), ['the data needs a "fixes" array']);
});

test('the data file lists well-formed fixes with unique ids and existing rules', () => {
  const data = readFixData();
  assert.deepEqual(validateFixData(data, RULES), []);
  assert.ok(data.fixes.length >= 30, `only ${data.fixes.length} fixes listed`);
});

const SAMPLE = `
#include <linux/mm.h>
/* demo_restore(x) in a comment is not a definition */
static inline int demo_restore(pte_t *ptep);

static int helper(int a) { return a + 1; }

#ifdef CONFIG_DEMO
static void demo_restore(pte_t *ptep) { }
#else
static void demo_restore(pte_t *ptep)
	__must_hold(ptl)
{
	pte_t pte = ptep_get(ptep);
	if (pte_dirty(pte)) {
		pte = pte_mkclean(pte);
	}
	set_pte_at(mm, addr, ptep, pte);
}
#endif
`;

test('the token scan finds every definition, attributes included, and skips declarations and comments', () => {
  const found = definitionsByTokens(SAMPLE, 'demo_restore');
  assert.equal(found.length, 2);
  assert.ok(found[1]!.text.startsWith('static void demo_restore(pte_t *ptep)\n\t__must_hold(ptl)\n{'));
  assert.ok(found[1]!.text.endsWith('set_pte_at(mm, addr, ptep, pte);\n}'));
  assert.equal(found[1]!.line, SAMPLE.split('\n').findIndex((l) => l.startsWith('static void demo_restore(pte_t *ptep)') && !l.includes('{')));
  assert.deepEqual(definitionsByTokens(SAMPLE, 'missing'), []);
});

test('extraction takes the longest definition, with or without the parser', async () => {
  const parser = await loadParser();
  for (const via of [undefined, parser]) {
    const found = extractFunction(SAMPLE, 'demo_restore', via);
    assert.ok(found?.text.includes('pte_mkclean'), `extraction via ${via ? 'parser' : 'tokens'} found ${found?.text}`);
  }
  assert.equal(extractFunction(SAMPLE, 'helper')?.text, 'static int helper(int a) { return a + 1; }');
});

function outcome(rules: string[], problem?: string): SideOutcome {
  return { profile: 'x86_64@6.1', rules, findings: rules.length, ...(problem ? { problem } : {}) };
}

test('scoring: caught only when the buggy side has an expected rule and the fixed side has none', () => {
  const fix = GOOD_FIX as unknown as RealFix;
  const caught = scoreFix(fix, 'function', outcome(['dirty-lost', 'stale-tlb']), outcome(['stale-tlb']));
  assert.deepEqual([caught.caught, caught.flaggedAfterFix, caught.otherOnFixed], [true, false, ['stale-tlb']]);
  const after = scoreFix(fix, 'function', outcome(['dirty-lost']), outcome(['dirty-lost']));
  assert.deepEqual([after.caught, after.flaggedAfterFix], [false, true]);
  const missed = scoreFix(fix, 'file', outcome([]), outcome([], 'demo_restore not found'));
  const totals = totalsOf([caught, after, missed]);
  assert.deepEqual(totals, { fixes: 3, caught: 1, buggyFlagged: 2, flaggedAfterFix: 1, flaggedWithLaterFix: 0, fixedWithOther: 1, problems: 1 });
  assert.match(formatTotals('function', [caught, after, missed])[0]!, /^function: caught 1\/3;/);
});

test('a fixed side that still has a bug a later fix removed is flagged after the fix all the same, and said so', () => {
  const fix = { ...(GOOD_FIX as unknown as RealFix), laterFix: 'demo-later' };
  const after = scoreFix(fix, 'function', outcome(['dirty-lost']), outcome(['dirty-lost']));
  assert.deepEqual([after.caught, after.flaggedAfterFix, after.laterFix], [false, true, 'demo-later']);
  assert.equal(totalsOf([after]).flaggedWithLaterFix, 1);
  assert.match(formatTotals('function', [after])[0]!, /fixed side still flagged with it 1 \(1 with a bug a later fix removed\)/);
  const data = { fixes: [{ ...GOOD_FIX, laterFix: 'no-such-fix' }] };
  assert.deepEqual(validateFixData(data, new Set(ruleIds())).filter((p) => p.includes('laterFix')), [`${GOOD_FIX.id}: laterFix must be the id of another fix in the file`]);
});

test('run arguments: profile-at, mode and budget are checked', () => {
  assert.deepEqual(parseRunArgs(['--profile-at', '6.19', '--mode', 'file']).modes, ['file']);
  assert.throws(() => parseRunArgs(['--profile-at', 'six']), /x\.y/);
  assert.throws(() => parseRunArgs(['--mode', 'all']), /function, file or both/);
  assert.throws(() => parseRunArgs(['--frobnicate']), /unknown argument/);
});

test('cached real fixes: each file holds its function, and both sides analyse', async (t) => {
  const env = sourceEnvironment();
  const fixes = readFixData().fixes;
  const cached = fixes.flatMap((fix) => {
    const buggy = readCachedSide(env.cacheDir, fix, 'buggy');
    const fixed = readCachedSide(env.cacheDir, fix, 'fixed');
    return buggy && fixed ? [{ fix, sides: { buggy, fixed } }] : [];
  });
  if (cached.length === 0) {
    t.skip(`no real fix is cached under ${env.cacheDir}: run npm run real-fixes with MMLENS_KERNEL_GIT set (docs/real-fixes.md)`);
    return;
  }
  const parser = await loadParser();
  const outcomes = [];
  for (const { fix, sides } of cached) {
    for (const side of SIDES) {
      assert.ok(extractFunction(sides[side].text, fix.function, parser), `${fix.id}: ${fix.function} not found in the ${side} ${fix.path}`);
    }
    const profile = (side: 'buggy' | 'fixed') => `${fix.arch}@${sides[side].meta.version}`;
    outcomes.push(
      evaluateFix(parser, fix, { buggy: { text: sides.buggy.text, profile: profile('buggy') }, fixed: { text: sides.fixed.text, profile: profile('fixed') } }, 'function', { budgetMs: 2000 }),
    );
  }
  for (const line of formatTotals('function', outcomes)) t.diagnostic(line);
  assert.equal(totalsOf(outcomes).fixes, cached.length);
});
