// The sequential runner on seed 002 (write, clear soft-dirty, register uffd-wp, unregister, write
// again), and CPU sections turned into the explorer's program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concurrentOperations } from '../../../simulator/src/explore';
import { interleavingProgram, parseScenario, runScenario, ScenarioError } from '../../../simulator/src/scenario';
import { repoRoot } from '../../helpers/paths';

const seed002 = () => parseScenario(readFileSync(join(repoRoot(), 'examples', 'scenarios', 'uffd-wp-softdirty.mmscenario'), 'utf8')).scenario!;

test('seed 002 on 6.1: UFFDIO_UNREGISTER gives write back blindly and the write of step 5 is not recorded', () => {
  const run = runScenario(seed002());
  assert.equal(run.profile, 'x86_64@6.1');
  assert.equal(run.holds, false);
  assert.equal(run.violation?.step, 5);
  assert.equal(run.violation?.rule, 'softdirty-bypass');
  assert.equal(run.violation?.kind, 'property');
  // the cause is step 4: the state rule fires on the entry unregister leaves
  assert.deepEqual(run.steps.map((s) => s.hazards.map((h) => h.rule)), [[], [], [], ['softdirty-bypass'], []]);
  assert.equal(`W=${run.steps[3]!.after.bits.W} SFD=${run.steps[3]!.after.bits.SFD}`, 'W=1 SFD=0');
  assert.match(run.steps[3]!.sources[0]!, /uffd_wp_range\(\) \(6\.0–6\.1\)/);
});

test('seed 002 from 6.2: unregister keeps the entry read-only, the write faults and sets soft-dirty', () => {
  for (const profile of ['x86_64@6.2', 'x86_64@6.19']) {
    const run = runScenario(seed002(), { profile });
    assert.equal(run.holds, true, profile);
    assert.equal(run.steps[4]!.after.bits.SFD, 1, profile);
    assert.match(run.steps[4]!.path[0]!, /wp_page_shared/);
  }
});

test('seed 002 on the generic architecture: its write fault marks soft-dirty as every architecture with soft-dirty does, so only 6.1\'s unregister loses the write', () => {
  const old = runScenario(seed002(), { profile: 'generic@6.1' });
  assert.deepEqual([old.holds, old.violation?.step, old.violation?.rule], [false, 5, 'softdirty-bypass']);
  const fixed = runScenario(seed002(), { profile: 'generic@6.2' });
  assert.equal(fixed.holds, true);
  assert.equal(fixed.steps[4]!.after.bits.SFD, 1);
});

test('a property the profile cannot judge is inapplicable, never held or broken: named by check it is refused at its line; by default a note says it was not checked', () => {
  const named = parseScenario('profile arm64@6.12\nvma anon read write\ncheck softdirty-bypass\nsteps\n  write\n').scenario!;
  assert.throws(() => runScenario(named), (e: unknown) => e instanceof ScenarioError && e.problems[0]!.line === 3 && /softdirty-bypass cannot be checked on arm64@6\.12: needs CONFIG_MEM_SOFT_DIRTY/.test(e.problems[0]!.message));
  const run = runScenario(parseScenario('profile arm64@6.12\nvma anon read write\nsteps\n  write\n').scenario!);
  assert.equal(run.holds, true);
  assert.deepEqual(run.notes, ['softdirty-bypass is not checked on arm64@6.12: needs CONFIG_MEM_SOFT_DIRTY (not on arm64)']);
  assert.deepEqual(runScenario(seed002(), { profile: 'x86_64@6.2' }).notes, []);
});

test('a scenario the profile cannot run is an error at its line, not a result', () => {
  const { scenario } = parseScenario('vma shmem read write\nsteps\n  write\n  uffd register wp\n');
  assert.throws(() => runScenario(scenario!, { profile: 'x86_64@5.4' }), (e: unknown) => e instanceof ScenarioError && e.problems[0]!.line === 4 && /needs CONFIG_HAVE_ARCH_USERFAULTFD_WP, which x86_64@5\.4 lacks \(defined from 5\.7/.test(e.problems[0]!.message));
  const free = parseScenario('vma anon read write\nsteps\n  madvise free\n').scenario!;
  assert.throws(() => runScenario(free, { profile: 'x86_64@4.4' }), /line 3: madvise free is modelled for kernels 4\.5–…, not x86_64@4\.4/);
  const badBit = parseScenario('vma anon read write\nentry present SD=1\nsteps\n  write\n').scenario!;
  assert.throws(() => runScenario(badBit, { profile: 'x86_64@6.1' }), /x86_64@6\.1 has no entry bit SD/);
  const call = parseScenario('vma anon read write\nsteps\n  call f\n').scenario!;
  assert.throws(() => runScenario(call), /line 3: call f: the scenario has no source file/);
});

test('check limits the properties: without softdirty-bypass, seed 002 on 6.1 holds', () => {
  const scenario = { ...seed002(), check: { ids: ['uffd-wp-writable', 'dirty-lost'], line: 1 } };
  assert.equal(runScenario(scenario).holds, true);
});

test('CPU sections become the explorer\'s program: the page as the steps leave it, words bound to parameters in order', () => {
  const text = 'profile x86_64@5.11\nvma anon read write VM_UFFD_WP\nentry present W=1 D=1 A=1 U=1\nfolio anon exclusive pinned\ncpu cpu0\n  uffd_unwp\ncpu cpu1\n  write\n';
  const { scenario } = parseScenario(text, { cpuOperations: concurrentOperations.map((o) => o.name) });
  const run = runScenario(scenario!);
  const program = interleavingProgram(scenario!, run.profile, run.initial, concurrentOperations);
  assert.deepEqual(program.initial.entry, { present: true, W: true, D: true, A: true, U: true });
  assert.ok(program.initial.vma.flags.includes('VM_UFFD_WP') && program.initial.vma.flags.includes('anonymous'));
  assert.deepEqual(program.initial.folio, ['anon', 'exclusive', 'pinned']);
  assert.deepEqual(program.cpus, [{ name: 'cpu0', ops: [{ op: 'uffd_unwp', args: {}, line: 6 }] }, { name: 'cpu1', ops: [{ op: 'write', args: {}, line: 8 }] }]);
  const extra = parseScenario(text.replace('  write\n', '  write twice\n')).scenario!;
  assert.throws(() => interleavingProgram(extra, run.profile, run.initial, concurrentOperations), (e: unknown) => e instanceof ScenarioError && e.problems[0]!.line === 8 && /write takes 0 words/.test(e.message));
});
