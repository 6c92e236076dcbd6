// Bad programs get a clear message (with the CPU and line of the operation at fault), never
// an exception; bounds and cancellation stop the exploration and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS, concurrentOperations, exploreInterleavings, exploreWith, interleavingProperties, type InterleavingProgram } from '../../../simulator/src/explore';
import { PRIVATE_ANON_VMA, UFFD_WP_VMA, seed003 } from './programs';

const base: InterleavingProgram = {
  profile: 'x86_64@6.19',
  initial: { entry: { W: true, D: true, A: true, U: true }, vma: UFFD_WP_VMA, folio: ['anon', 'exclusive'] },
  cpus: [{ name: 'cpu0', ops: [{ op: 'write', line: 3 }] }],
};

function errorOf(program: unknown): { message: string; cpu?: string; opLine?: number } {
  const result = exploreInterleavings(program as InterleavingProgram);
  assert.equal(result.holds, false);
  assert.equal(result.complete, false);
  assert.ok(result.error, 'an error is reported');
  return result.error;
}

test('an unknown operation names the known ones, with its CPU and line', () => {
  const error = errorOf({ ...base, cpus: [{ name: 'cpu0', ops: [{ op: 'munmap', line: 7 }] }] });
  assert.match(error.message, /^unknown operation "munmap" \(known: read, write, uffd_wp, uffd_unwp, clear_refs, flush\)$/);
  assert.equal(error.cpu, 'cpu0');
  assert.equal(error.opLine, 7);
});

test('arguments an operation does not take are refused', () => {
  const error = errorOf({ ...base, cpus: [{ name: 'cpu0', ops: [{ op: 'write', args: { value: 3 }, line: 4 }] }] });
  assert.equal(error.message, 'write takes no arguments, got value');
  assert.equal(error.opLine, 4);
});

test('more than three CPUs, none, or two with one name', () => {
  const cpu = (name: string) => ({ name, ops: [{ op: 'read' }] });
  assert.equal(errorOf({ ...base, cpus: ['a', 'b', 'c', 'd'].map(cpu) }).message, 'the program has 4 CPUs; interleavings are explored for at most 3');
  assert.equal(errorOf({ ...base, cpus: [] }).message, 'the program has no CPUs');
  assert.equal(errorOf({ ...base, cpus: [cpu('a'), cpu('a')] }).message, 'two CPUs are named a');
});

test('the initial facts are checked against the profile', () => {
  assert.match(errorOf({ ...base, profile: 'arm64@6.19', initial: { ...base.initial, vma: { flags: ['VM_READ'] } } }).message, /^unknown entry bit W, D, A on arm64@6.19 \(bits: WR RO DT UW AF/);
  assert.equal(errorOf({ ...base, profile: 'arm64@6.19' }).message, 'VM_SOFTDIRTY is VM_NONE on arm64@6.19: the kernel there lacks its config symbol');
  assert.match(errorOf({ ...base, initial: { ...base.initial, vma: { flags: ['VM_WRTIE'] } } }).message, /^unknown VMA flag VM_WRTIE \(known: VM_READ, VM_WRITE/);
  assert.match(errorOf({ ...base, initial: { ...base.initial, folio: ['exclusiv'] } }).message, /^unknown folio fact exclusiv/);
  assert.match(errorOf({ ...base, initial: { ...base.initial, entry: { swap: true } } }).message, /start from a present or a none entry/);
  assert.match(errorOf({ ...base, profile: 'sparc' }).message, /^unknown architecture "sparc"/);
  assert.match(errorOf({ ...base, properties: ['no-lost-writes'] }).message, /^unknown property no-lost-writes \(known: lost-write, uffd-wp-write, stale-tlb/);
});

test('an operation the kernel refuses or the version lacks', () => {
  const uffd = (profile: string, vma = UFFD_WP_VMA) => errorOf({ ...base, profile, initial: { ...base.initial, vma }, cpus: [{ name: 'mon', ops: [{ op: 'uffd_wp', line: 9 }] }] });
  assert.equal(uffd('x86_64@6.19', PRIVATE_ANON_VMA).message, 'uffd_wp needs a VMA registered for uffd write-protect (VM_UFFD_WP in the VMA flags)');
  assert.equal(uffd('x86_64@5.4').message, 'VM_UFFD_WP is VM_NONE on x86_64@5.4: the kernel there lacks its config symbol');
  const arm = errorOf({ ...base, profile: 'arm64@6.6', initial: { entry: { WR: true, AF: true }, vma: { flags: ['VM_READ', 'VM_UFFD_WP'] } } });
  assert.equal(arm.message, 'VM_UFFD_WP is VM_NONE on arm64@6.6: the kernel there lacks its config symbol');
});

test('an operation with no variant for the profile\'s kernel says which versions it covers', () => {
  const read = OPERATIONS.find((op) => op.name === 'read')!;
  const recent = { ...read, name: 'recent', variants: [{ ...read.variants[0]!, since: '6.0' }] };
  const result = exploreWith({ ...base, profile: 'x86_64@5.11', cpus: [{ name: 'cpu0', ops: [{ op: 'recent', line: 2 }] }] }, {}, [...OPERATIONS, recent]);
  assert.equal(result.error?.message, 'recent is not modelled on kernel 5.11 (variants: 6.0+)');
});

test('garbage instead of a program is an error, not an exception', () => {
  for (const junk of [null, undefined, 42, 'text', { profile: 'x86_64' }, { profile: 'x86_64', cpus: 'cpu0' }, { profile: 'x86_64', cpus: [{ name: 'a', ops: [{}] }] }, { profile: 'x86_64', cpus: [{ name: 'a', ops: 'write' }] }, { profile: 'x86_64', cpus: [{ name: 'a', ops: [{ op: 'write', args: 'x' }] }] }]) {
    const result = exploreInterleavings(junk as unknown as InterleavingProgram);
    assert.ok(result.error, `${JSON.stringify(junk)} is refused`);
    assert.doesNotMatch(result.error.message, /internal error/, result.error.message);
  }
});

test('bounds that are not positive whole numbers are refused', () => {
  assert.equal(exploreInterleavings(base, { maxSteps: 0 }).error?.message, 'maxSteps must be a positive whole number, got 0');
  assert.equal(exploreInterleavings(base, { maxStates: 2.5 }).error?.message, 'maxStates must be a positive whole number, got 2.5');
});

test('cancellation stops the exploration and is reported, with what was explored so far', () => {
  let polls = 0;
  const result = exploreInterleavings(seed003('x86_64@5.12'), { isCancelled: () => ++polls > 3 });
  assert.equal(result.cancelled, true);
  assert.equal(result.complete, false);
  assert.ok(result.explored.transitions > 0 && result.explored.transitions < 1000, `${result.explored.transitions} transitions`);
});

test('the state bound stops the exploration and says so', () => {
  const result = exploreInterleavings(seed003('x86_64@5.12'), { maxStates: 50 });
  assert.equal(result.bounds.statesExceeded, true);
  assert.equal(result.complete, false);
  assert.equal(result.explored.states, 50);
  const deep = exploreInterleavings(seed003('x86_64@5.12'), { maxSteps: 5 });
  assert.equal(deep.bounds.stepsExceeded, true);
  assert.equal(deep.complete, false);
});

test('the operation library says what each operation stands for, per version range', () => {
  const write = concurrentOperations.find((op) => op.name === 'write')!;
  assert.deepEqual(write.variants.map((v) => [v.since, v.until]), [[undefined, '5.9'], ['5.9', '5.12'], ['5.12', '5.19'], ['5.19', undefined]]);
  for (const op of concurrentOperations) for (const v of op.variants) assert.ok(v.source.length > 0 && v.steps.length > 0, op.name);
  assert.deepEqual(interleavingProperties('x86_64@6.19').slice(0, 3).map((p) => p.id), ['lost-write', 'uffd-wp-write', 'stale-tlb']);
});
