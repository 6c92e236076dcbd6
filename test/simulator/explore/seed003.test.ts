// Seed 003 as a program: uffd unprotect that demotes a writable entry and defers its flush
// (CPU0), a write fault that copies the page (CPU1), and a CPU holding a stale writable TLB
// entry (CPU2). Before 5.12 the fault path copies without looking at the pending flush and
// a write is lost; from 5.12 it flushes first and every schedule holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exploreInterleavings, renderSchedule, type InterleavingProgram } from '../../../simulator/src/explore';

export function seed003(profile: string, properties?: string[]): InterleavingProgram {
  return {
    profile,
    initial: {
      entry: { present: true, W: true, D: true, A: true, U: true },
      vma: { flags: ['VM_READ', 'VM_WRITE', 'VM_MAYREAD', 'VM_MAYWRITE', 'VM_UFFD_WP', 'VM_SOFTDIRTY', 'anonymous'] },
      folio: ['anon', 'exclusive', 'pinned'],
    },
    cpus: [
      { name: 'cpu0', ops: [{ op: 'uffd_unwp', line: 10 }] },
      { name: 'cpu1', ops: [{ op: 'write', line: 20 }] },
      { name: 'cpu2', ops: [{ op: 'write', line: 30 }, { op: 'write', line: 31 }] },
    ],
    ...(properties ? { properties } : {}),
  };
}

test('seed 003 on 5.11: the deferred-flush schedule is found (a copy with a stale writable TLB entry)', () => {
  const result = exploreInterleavings(seed003('x86_64@5.11'));
  console.log(JSON.stringify(result.explored), result.bounds);
  assert.equal(result.error, undefined);
  assert.equal(result.holds, false);
  const v = result.violation!;
  console.log(renderSchedule(v, ['cpu0', 'cpu1', 'cpu2']).join('\n'));
  assert.equal(v.property, 'stale-tlb');
});

test('seed 003 on 5.11: the write through the stale entry is lost', () => {
  const result = exploreInterleavings(seed003('x86_64@5.11', ['lost-write']));
  console.log(JSON.stringify(result.explored));
  const v = result.violation!;
  console.log(renderSchedule(v, ['cpu0', 'cpu1', 'cpu2']).join('\n'));
  assert.equal(v.property, 'lost-write');
});

test('seed 003 on 5.12: the fault path flushes before copying and every schedule holds', () => {
  const result = exploreInterleavings(seed003('x86_64@5.12'));
  console.log(JSON.stringify(result.explored), result.violation && renderSchedule(result.violation, ['cpu0', 'cpu1', 'cpu2']).join('\n'));
  assert.equal(result.holds, true);
  assert.equal(result.complete, true);
});
