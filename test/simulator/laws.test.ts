// The laws, proved over all entries per profile. Each profile fails exactly
// the laws the kernel broke in that version, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulator, checkAllLaws } from '../../simulator/src';

function failures(profile: string): string[] {
  return checkAllLaws(new Simulator(profile))
    .filter((r) => r.status === 'fails')
    .map((r) => `${r.law.id}@${r.level}`);
}

test('x86_64 6.19: everything holds except the pmd_modify dirty drop (6.6–7.2)', () => {
  assert.deepEqual(failures('x86_64@6.19'), ['modify-keeps-dirty@pmd']);
});

test('x86_64 with the MADV_FREE/THP fix: all laws hold', () => {
  assert.deepEqual(failures('x86_64@7.3'), []);
});

test('x86_64 6.1: pte_mkuffd_wp only sets the bit, so uffd-wp entries can stay writable', () => {
  assert.deepEqual(failures('x86_64@6.1'), ['uffd-wp-read-only@pte', 'uffd-wp-read-only@pmd']);
});

test('x86_64 6.4 (after the uffd-wp change, before shadow stacks): all laws hold', () => {
  assert.deepEqual(failures('x86_64@6.4'), []);
});

test('arm64 before 6.18: pte_mkwrite_novma makes a clean entry read as dirty', () => {
  assert.deepEqual(failures('arm64@6.13'), ['mkwrite-novma-no-dirt@pte', 'mkwrite-novma-no-dirt@pmd']);
});

test('arm64 and generic: all laws hold', () => {
  assert.deepEqual(failures('arm64@6.19'), []);
  assert.deepEqual(failures('generic@6.19'), []);
});

test('the shadow-stack law is proved for every modifier on x86 with shadow stacks, and not claimed elsewhere', () => {
  const x86 = checkAllLaws(new Simulator('x86_64@6.19')).filter((r) => r.law.id === 'no-shstk-lookalike');
  assert.deepEqual(x86.map((r) => r.status), ['holds', 'holds', 'holds']);
  const old = checkAllLaws(new Simulator('x86_64@6.1')).filter((r) => r.law.id === 'no-shstk-lookalike');
  assert.deepEqual(old.map((r) => r.status), ['n/a']);
});

test('the pmd_modify counterexample is a PMD whose dirtiness is in hardware D', () => {
  const result = checkAllLaws(new Simulator('x86_64@6.19')).find((r) => r.status === 'fails')!;
  assert.equal(result.status, 'fails');
  if (result.status !== 'fails') return;
  assert.equal(result.counterexample.get('x_pmd.D'), true);
  assert.notEqual(result.counterexample.get('x_pmd.SD'), true);
});

test('arm64 pte_wrprotect keeps hardware dirt as software dirt', () => {
  const sim = new Simulator('arm64');
  const x = sim.presentEntry('x');
  const y = sim.apply('pte_wrprotect', x);
  const hwDirty = sim.alg.and(x.bits[sim.set.layout.indexOf('WR')!]!, sim.alg.not(x.bits[sim.set.layout.indexOf('RO')!]!));
  assert.ok(sim.alg.entails(hwDirty, y.bits[sim.set.layout.indexOf('DT')!]!));
});
