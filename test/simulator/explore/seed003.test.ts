// Seed 003 as a program (programs.ts): before 5.12 the write fault copies the page while
// another CPU still holds a writable TLB entry for it, and that CPU's next write is lost;
// from 5.12 the fault path flushes first when a flush is pending, and every schedule holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exploreInterleavings, renderSchedule } from '../../../simulator/src/explore';
import { seed003 } from './programs';

const CPUS = ['cpu0', 'cpu1', 'cpu2'];

test('5.11: the copy is taken while a CPU holds a stale writable TLB entry (stale-tlb)', () => {
  const result = exploreInterleavings(seed003('x86_64@5.11'));
  assert.equal(result.error, undefined);
  assert.equal(result.holds, false);
  const v = result.violation!;
  assert.equal(v.property, 'stale-tlb');
  assert.match(v.message, /P0 is copied while cpu\d still holds a writable TLB entry/);
  const last = v.schedule.at(-1)!;
  assert.match(last.action, /^copy P0 to new P1/);
  assert.ok(Object.values(last.tlbs).includes('P0 rw dirty'), 'some CPU still caches P0 writable');
  assert.equal(last.flushPending, 1, 'the unprotect has not flushed yet');
  assert.match(result.variants.write!, /do_wp_page\(\) simplification.*\[5\.9–5\.12\]/);
});

test('5.11: the write through the stale entry lands on the old page and is lost (lost-write)', () => {
  const result = exploreInterleavings(seed003('x86_64@5.11', ['lost-write']));
  const v = result.violation!;
  assert.equal(v.property, 'lost-write');
  assert.equal(v.cpu, 'cpu2');
  assert.ok(v.opLine === 30 || v.opLine === 31);
  // the shape of the seed's diagram: the unprotect defers its flush, cpu1 copies, cpu2 writes
  // the old page through its TLB, cpu1 installs the copy
  const actions = v.schedule.map((row) => `${row.cpu}: ${row.action}`);
  const at = (pattern: RegExp) => actions.findIndex((a) => pattern.test(a));
  const demote = at(/^cpu0: PTL: pte_modify \(write dropped\)/);
  const copy = at(/^cpu1: copy P0 to new P1/);
  const staleWrite = actions.findIndex((a, i) => i > copy && /^cpu2: write cpu2#\d to P0 through the TLB/.test(a));
  const install = at(/^cpu1: PTL: pte_same; ptep_clear_flush; set_pte_at P1/);
  assert.ok(demote >= 0 && demote < copy && copy < staleWrite && staleWrite < install, actions.join('\n'));
  assert.equal(install, actions.length - 1);
  assert.match(v.schedule.at(-1)!.entry, /^P1 present W=1/);
  const table = renderSchedule(v, CPUS);
  assert.match(table[0]!, /^cpu0 +\| cpu1 +\| cpu2 +\| entry/);
  assert.match(table.at(-1)!, /^lost-write: the write of cpu2#\d landed on P0, but the entry now maps P1/);
});

test('5.12: the fault path flushes when a flush is pending, and every schedule holds', () => {
  const result = exploreInterleavings(seed003('x86_64@5.12'));
  assert.equal(result.holds, true);
  assert.equal(result.complete, true);
  assert.match(result.variants.write!, /mm_tlb_flush_pending.*\[5\.12–5\.19\]/);
  assert.ok(result.explored.states > 100 && result.explored.schedules > result.explored.states);
});

test('6.19: the unprotect keeps write on an exclusive anonymous page, so nothing is demoted at all', () => {
  const result = exploreInterleavings(seed003('x86_64@6.19'));
  assert.equal(result.holds, true);
  assert.match(result.variants.uffd_unwp!, /MM_CP_TRY_CHANGE_WRITABLE.*\[6\.0\+\]/);
});
