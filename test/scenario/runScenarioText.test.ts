// Scenarios with `call` steps: kernel functions of the scenario's source file, analysed by the
// engine on the scenario's profile, applied to the page's concrete state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenarioText } from '../../server/src/scenario/runScenarioText';
import { testParser } from '../helpers/parser';
import { repoRoot } from '../helpers/paths';

const examples = join(repoRoot(), 'examples', 'scenarios');

async function runExample(name: string, profile?: string) {
  const path = join(examples, name);
  return runScenarioText(await testParser(), readFileSync(path, 'utf8'), { path, ...(profile ? { profile } : {}) });
}

/** A scenario over a C text given inline. */
async function runWith(source: string, scenario: string) {
  return runScenarioText(await testParser(), scenario, { path: '/virtual/s.mmscenario', readSource: (p) => (p === '/virtual/f.c' ? source : readFileSync(p, 'utf8')) });
}

test('seed 002 with the old uffd_wp_range(): step 4 runs the function, the write of step 5 is not recorded', async () => {
  const report = await runExample('uffd-wp-range-old.mmscenario');
  assert.deepEqual(report.problems, []);
  assert.equal(report.holds, false);
  assert.equal(report.run!.violation?.step, 5);
  assert.equal(report.run!.violation?.rule, 'softdirty-bypass');
  const step4 = report.run!.steps[3]!;
  assert.equal(step4.op, 'call');
  assert.equal(step4.after.bits.W, 1);
  // the hazard inside the function, at its line in the C file
  const inside = step4.hazards.find((h) => h.kind === 'function');
  assert.equal(inside?.rule, 'softdirty-bypass');
  const source = readFileSync(join(examples, 'uffd-wp-range.c'), 'utf8').split('\n');
  assert.match(source[inside!.sourceLine! - 1]!, /ptep_modify_prot_commit/);
});

test('seed 002 with the new uffd_wp_range(): the entry stays read-only and the write of step 5 sets soft-dirty', async () => {
  const report = await runExample('uffd-wp-range-new.mmscenario');
  assert.deepEqual(report.problems, []);
  assert.equal(report.holds, true);
  assert.equal(report.run!.steps[3]!.after.bits.W, 0);
  assert.equal(report.run!.steps[4]!.after.bits.SFD, 1);
  assert.deepEqual(report.run!.branches, { total: 1, holding: 1 });
});

const RESTORE = `static void restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	pte = pte_mkuffd_wp(pte_mkwrite(pte, vma));
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}

static void clean(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	pte_t pte = ptep_get_and_clear(vma->vm_mm, addr, ptep);

	set_pte_at(vma->vm_mm, addr, ptep, pte_mkclean(pte));
}

static void maybe_protect(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	if (some_policy(vma))
		ptep_set_wrprotect(vma->vm_mm, addr, ptep);
}
`;

test('a function that leaves uffd-wp on a writable entry: the next write goes through unseen (uffd-wp-writable)', async () => {
  const report = await runWith(RESTORE, 'profile x86_64@6.1\nsource f.c\nvma anon read write VM_UFFD_WP\nentry present UW=1 D=1 SFD=1\nfolio anon exclusive\nsteps\n  call restore\n  write\n');
  assert.deepEqual(report.problems, []);
  // the write breaks the property; the call, which made the entry so, is where the state rule fires
  assert.deepEqual([report.run!.violation?.rule, report.run!.violation?.step, report.run!.violation?.kind], ['uffd-wp-writable', 2, 'property']);
  assert.deepEqual(report.run!.steps[0]!.hazards.map((h) => [h.rule, h.kind]), [['uffd-wp-writable', 'function']]);
});

test('a function that cleans a written entry without marking the folio dirty loses the write (dirty-lost)', async () => {
  const report = await runWith(RESTORE, 'profile x86_64@6.19\nsource f.c\nvma anon read write\nsteps\n  write\n  call clean\n');
  assert.deepEqual(report.run!.steps[1]!.violations.map((v) => v.rule), ['dirty-lost']);
});

test('a function deciding on what the scenario does not state has several outcomes, and each is checked', async () => {
  const report = await runWith(RESTORE, 'profile x86_64@6.19\nsource f.c\nvma anon read write\nentry present W=1 D=1 SFD=1\nfolio anon exclusive\nsteps\n  call maybe_protect\n  write\n');
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.run!.branches, { total: 2, holding: 2 });
  assert.deepEqual(report.run!.steps[0]!.outcome, { index: 1, of: 2 });
  assert.match(report.run!.steps[0]!.notes.join(' '), /can end in 2 different entries here/);
});

test('bad calls are input problems at their line: a missing argument, an unknown function or parameter, a missing source', async () => {
  const scenario = (call: string) => `source f.c\nvma anon read write\nsteps\n  ${call}\n`;
  const problem = async (call: string, source = RESTORE) => (await runWith(source, scenario(call))).problems[0];
  assert.match((await problem('call nothing_here'))!.message, /no function nothing_here in the source file \(its functions: restore, clean, maybe_protect\), the scenario.s directory or its kernel tree/);
  assert.match((await problem('call restore flags=1'))!.message, /restore has no parameter flags \(parameters: vma, addr, ptep\)/);
  const old = readFileSync(join(examples, 'uffd-wp-range.c'), 'utf8');
  assert.deepEqual(await problem('call uffd_wp_range_old', old), { line: 4, message: 'call uffd_wp_range_old: say what enable_wp is (enable_wp=true or enable_wp=false)' });
  const missing = await runScenarioText(await testParser(), scenario('call restore'), { path: '/nowhere/s.mmscenario' });
  assert.deepEqual(missing.problems, [{ line: 1, message: 'source f.c: no such file' }]);
});

test('a flags word is stated by name, joined by |; a function that tests one must be told', async () => {
  const source = readFileSync(join(examples, 'uffd-wp-range.c'), 'utf8');
  const scenario = (call: string) => `profile x86_64@6.19\nsource f.c\nvma shmem read write VM_UFFD_WP\nentry present W=1 D=1 SFD=1\nfolio dirty\nsteps\n  ${call}\n`;
  const protect = await runWith(source, scenario('call wp_one_pte cp_flags=MM_CP_UFFD_WP'));
  assert.deepEqual(protect.problems, []);
  // whatever newprot the caller passes (the scenario does not say), the entry ends write-protected with uffd-wp
  for (const step of [protect.run!.steps[0]!]) assert.deepEqual([step.after.bits.W, step.after.bits.UW], [0, 1]);
  assert.match((await runWith(source, scenario('call wp_one_pte'))).problems[0]!.message, /say what cp_flags is \(cp_flags=0, or flags joined by \|/);
  assert.match((await runWith(source, scenario('call wp_one_pte cp_flags=MM_CP_FAST'))).problems[0]!.message, /MM_CP_FAST is not a change_protection\(\) flag/);
});
