// The partial-order reduction is sound and saves work: on random small programs, sleep sets
// reach exactly the states full exploration reaches, give the same verdict for every
// property, and take no more transitions (on most programs, fewer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OPERATIONS, exploreWith, type InterleavingProgram } from '../../../simulator/src/explore';
import { UFFD_WP_VMA, cowWrite } from './programs';

const LIBRARY = [...OPERATIONS, cowWrite(false), cowWrite(true)];
const OPS = ['read', 'write', 'flush', 'uffd_wp', 'uffd_unwp', 'cow_write', 'cow_write_locked'];
const PROPERTIES = ['lost-write', 'stale-tlb', 'uffd-wp-write', 'uffd-wp-writable', 'cow-writable'];

const program: fc.Arbitrary<InterleavingProgram> = fc
  .record({
    profile: fc.constantFrom('x86_64@5.11', 'x86_64@5.12', 'x86_64@6.19'),
    writable: fc.boolean(),
    dirty: fc.boolean(),
    folio: fc.subarray(['exclusive', 'pinned']),
    cpus: fc.oneof(
      fc.array(fc.array(fc.constantFrom(...OPS), { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
      fc.array(fc.array(fc.constantFrom(...OPS), { minLength: 1, maxLength: 1 }), { minLength: 3, maxLength: 3 }),
    ),
  })
  .map((p) => ({
    profile: p.profile,
    initial: { entry: { W: p.writable && p.folio.includes('exclusive'), D: p.dirty, A: true, U: true }, vma: UFFD_WP_VMA, folio: ['anon', ...p.folio] },
    cpus: p.cpus.map((ops, i) => ({ name: `cpu${i}`, ops: ops.map((op) => ({ op })) })),
  }));

test('sleep sets: the same states, the same verdict per property, no more transitions', () => {
  let full = 0;
  let reduced = 0;
  let violations = 0;
  fc.assert(
    fc.property(program, (p) => {
      const all = exploreWith({ ...p, properties: [] }, { reduction: 'none' }, LIBRARY);
      const sleep = exploreWith({ ...p, properties: [] }, { reduction: 'sleep-sets' }, LIBRARY);
      assert.equal(all.error, undefined, all.error?.message);
      assert.ok(all.complete && sleep.complete);
      assert.equal(sleep.explored.states, all.explored.states, 'every reachable state is visited');
      assert.ok(sleep.explored.transitions <= all.explored.transitions);
      full += all.explored.transitions;
      reduced += sleep.explored.transitions;
      for (const property of PROPERTIES) {
        const a = exploreWith({ ...p, properties: [property] }, { reduction: 'none' }, LIBRARY);
        const b = exploreWith({ ...p, properties: [property] }, { reduction: 'sleep-sets' }, LIBRARY);
        if (!a.holds) violations++;
        assert.equal(b.holds, a.holds, `${property}: ${a.violation?.message ?? b.violation?.message}`);
      }
    }),
    { numRuns: 25, seed: 1403 },
  );
  assert.ok(violations > 0, 'some programs break some property, so the verdicts compared are not all "holds"');
  assert.ok(reduced < full * 0.9, `sleep sets took ${reduced} transitions, full exploration ${full}`);
});
