// The exploration finds a known small race — two CPUs copying the same page on a write fault
// without the page-table lock, the page-table version of two unlocked increments — and the
// lock with its pte_same recheck removes it. Both operations are written here, on the same
// StepContext the library uses; only the lock and the recheck differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS, exploreWith, type ConcurrentOperation, type StepContext } from '../../../simulator/src/explore';
import { PRIVATE_ANON_VMA, UFFD_WP_VMA, cowWrite } from './programs';

const LIBRARY = [...OPERATIONS, cowWrite(false), cowWrite(true)];

const twoWriters = (op: string) => ({
  profile: 'x86_64@6.19',
  initial: { entry: { A: true, U: true }, vma: PRIVATE_ANON_VMA, folio: ['anon'] },
  cpus: [
    { name: 'a', ops: [{ op, line: 1 }] },
    { name: 'b', ops: [{ op, line: 2 }] },
  ],
});

test('two unlocked copies of one page: the first copy\'s write is lost when the second copy is installed', () => {
  const result = exploreWith(twoWriters('cow_write'), {}, LIBRARY);
  assert.equal(result.holds, false);
  const v = result.violation!;
  assert.equal(v.property, 'lost-write');
  assert.match(v.message, /the write of [ab]#1 landed on P\d, but the entry now maps P\d/);
  const installs = v.schedule.filter((row) => /^install/.test(row.action)).map((row) => row.cpu);
  assert.deepEqual([...installs].sort(), ['a', 'b'], 'both CPUs installed their own copy');
});

test('with the page-table lock and the pte_same recheck every schedule holds', () => {
  const result = exploreWith(twoWriters('cow_write_locked'), {}, LIBRARY);
  assert.equal(result.error, undefined);
  assert.equal(result.holds, true);
  assert.equal(result.complete, true);
});

// A write-protect that forgets its flush: pending goes back to zero with a CPU still caching
// the page writable, and the write through it lands on a protected page.
function forgetfulWriteProtect(incrementsPending: boolean): ConcurrentOperation {
  const library = OPERATIONS.find((op) => op.name === 'uffd_wp')!.variants[0]!;
  const dropped = new Set(incrementsPending ? ['flush'] : ['flush', 'gather', 'finish']);
  const order = library.steps.map((step) => step.label);
  /** The first step at or after `label` that is kept. */
  const kept = (label: string) => (order.includes(label) ? order.slice(order.indexOf(label)).find((l) => !dropped.has(l))! : label);
  const steps = library.steps
    .filter((step) => !dropped.has(step.label))
    .map((step) => ({
      ...step,
      run: (s: StepContext) => {
        const out = step.run(s);
        return out && { ...out, next: kept(out.next) };
      },
    }));
  return { name: incrementsPending ? 'uffd_wp_noflush' : 'uffd_wp_nopending', doc: 'test', params: [], variants: [{ ...library, steps }] };
}

const protectThenWrite = (op: string, properties?: string[]) => ({
  profile: 'x86_64@6.19',
  initial: { entry: { W: true, D: true, A: true, U: true }, vma: UFFD_WP_VMA, folio: ['anon', 'exclusive'] },
  cpus: [
    { name: 'monitor', ops: [{ op, line: 1 }] },
    { name: 'worker', ops: [{ op: 'write', line: 2 }, { op: 'write', line: 3 }] },
  ],
  ...(properties ? { properties } : {}),
});

test('the library write-protect holds; the writer then waits for userfaultfd', () => {
  const result = exploreWith(protectThenWrite('uffd_wp'), {}, LIBRARY);
  assert.equal(result.holds, true);
  assert.ok(result.explored.blocked > 0, 'schedules end with the worker asleep in handle_userfault');
});

test('a write-protect without its flush lets a write through after it completed (uffd-wp-write)', () => {
  const result = exploreWith(protectThenWrite('uffd_wp_noflush', ['uffd-wp-write']), {}, [...LIBRARY, forgetfulWriteProtect(true)]);
  assert.equal(result.violation?.property, 'uffd-wp-write');
  assert.equal(result.violation?.cpu, 'worker');
  assert.match(result.violation!.schedule.at(-1)!.action, /through the TLB/);
});

test('a write-protect that raises no pending count is caught at its PTL unlock (stale-tlb)', () => {
  const result = exploreWith(protectThenWrite('uffd_wp_nopending'), {}, [...LIBRARY, forgetfulWriteProtect(false)]);
  assert.equal(result.violation?.property, 'stale-tlb');
  assert.equal(result.violation?.cpu, 'monitor');
  assert.match(result.violation!.message, /permission downgrade is still unflushed.*\(worker still caches the old translation\)/);
});
