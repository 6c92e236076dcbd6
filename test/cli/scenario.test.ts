// `mmlens scenario FILE`: exit 0 when the scenario holds, 1 when it is violated, 2 for bad input;
// text shows the steps and the violation at its line, JSON the same as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'out', 'server', 'src', 'cli', 'main.js');
const example = (name: string) => join('examples', 'scenarios', name);

function mmlens(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('seed 002 on 6.1 is violated (exit 1) at step 5, with the cause at step 4; on 6.2 it holds (exit 0)', () => {
  const old = mmlens(['scenario', example('uffd-wp-softdirty.mmscenario')]);
  assert.equal(old.code, 1, old.err);
  assert.match(old.out, /uffd-wp-softdirty\.mmscenario:15: error: step 5 \(write\): the write is not recorded.*\[softdirty-bypass\]/);
  assert.match(old.out, /uffd-wp-softdirty\.mmscenario:14: warning: step 4 \(uffd unregister\).*\[softdirty-bypass\]/);
  assert.match(old.out, /violated at step 5 \(line 15\): softdirty-bypass$/m);
  const fixed = mmlens(['scenario', example('uffd-wp-softdirty.mmscenario'), '--profile', 'x86_64@6.2']);
  assert.equal(fixed.code, 0, fixed.out);
  assert.match(fixed.out, /on x86_64@6\.2\n/);
  assert.match(fixed.out, /^holds$/m);
});

test('the kernel functions of seed 002: the old uffd_wp_range() is violated, the new one holds', () => {
  assert.equal(mmlens(['scenario', example('uffd-wp-range-old.mmscenario')]).code, 1);
  assert.equal(mmlens(['scenario', example('uffd-wp-range-new.mmscenario')]).code, 0);
});

test('seed 003: the schedule as columns per CPU on 5.11 (exit 1), every schedule holding on 5.12 (exit 0), with the counts', () => {
  const race = mmlens(['scenario', example('uffd-wp-race.mmscenario')]);
  assert.equal(race.code, 1, race.err);
  assert.match(race.out, /^cpu0 +\| cpu1 +\| cpu2 +\| entry +\| TLB cpu0 \| TLB cpu1 +\| TLB cpu2/m);
  assert.match(race.out, /explored \d+ states, \d+ schedules, \d+ transitions/);
  assert.match(race.out, /\[stale-tlb\]/);
  const fixed = mmlens(['scenario', example('uffd-wp-race.mmscenario'), '--profile', 'x86_64@5.12']);
  assert.equal(fixed.code, 0, fixed.out);
});

test('calls resolve in the kernel tree: found above the scenario, or named by --tree for a scenario elsewhere; without it the call is an input error', () => {
  const tree = join('test', 'fixtures', 'scenario-tree');
  const inTree = mmlens(['scenario', join(tree, 'scenarios', 'unprotect.mmscenario')]);
  assert.equal(inTree.code, 1, inTree.out + inTree.err);
  assert.match(inTree.out, /violated at step 5 \(line 14\): softdirty-bypass$/m);
  // the hazard inside the call, at its line in the tree's other file (toy_uffd_unprotect → toy_apply_prot)
  assert.match(inTree.out, /:13: warning: step 4 \(call toy_uffd_unprotect\): test\/fixtures\/scenario-tree\/mm\/toy_protect\.c:\d+: installs a writable entry/);
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-scenario-'));
  const text = readFileSync(join(repo, tree, 'scenarios', 'unprotect.mmscenario'), 'utf8');
  const outside = join(dir, 'unprotect.mmscenario');
  writeFileSync(outside, text);
  const alone = mmlens(['scenario', outside]);
  assert.equal(alone.code, 2);
  assert.match(alone.out, /unprotect\.mmscenario:13: error: call toy_uffd_unprotect: no function toy_uffd_unprotect in the source file/);
  const named = mmlens(['scenario', outside, '--tree', tree]);
  assert.equal(named.code, 1, named.out + named.err);
  assert.match(named.out, /violated at step 5 \(line 14\): softdirty-bypass$/m);
  const fixed = join(dir, 'fixed.mmscenario');
  writeFileSync(fixed, text.replace('call toy_uffd_unprotect ', 'call toy_uffd_unprotect_fixed '));
  const holds = mmlens(['scenario', fixed, '--tree', tree]);
  assert.equal(holds.code, 0, holds.out + holds.err);
  assert.equal(mmlens(['scenario', outside, '--tree', dir]).code, 2, '--tree names no kernel tree');
});

test('--format json: the run as data', () => {
  const { code, out } = mmlens(['scenario', example('uffd-wp-softdirty.mmscenario'), '--format', 'json']);
  assert.equal(code, 1);
  const report = JSON.parse(out);
  assert.equal(report.tool, 'mmlens');
  assert.equal(report.profile, 'x86_64@6.1');
  assert.equal(report.holds, false);
  assert.deepEqual([report.run.violation.step, report.run.violation.line, report.run.violation.rule], [5, 15, 'softdirty-bypass']);
  assert.deepEqual(report.run.steps.map((s: { op: string }) => s.op), ['write', 'clear_refs soft-dirty', 'uffd register wp', 'uffd unregister', 'write']);
  assert.deepEqual(report.run.steps[3].after.bits.W, 1);
});

test('bad input exits 2 with the file and line: a bad operation, a missing file, a bad profile, a bad format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-scenario-'));
  const bad = join(dir, 'bad.mmscenario');
  writeFileSync(bad, 'vma shmem read write\nsteps\n  write\n  unmap\n');
  const result = mmlens(['scenario', bad]);
  assert.equal(result.code, 2);
  assert.match(result.out, /bad\.mmscenario:4: error: unknown operation "unmap"/);
  const missing = mmlens(['scenario', join(dir, 'none.mmscenario')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /none\.mmscenario: no such file/);
  const profile = mmlens(['scenario', example('uffd-wp-softdirty.mmscenario'), '--profile', 'sparc64']);
  assert.equal(profile.code, 2);
  assert.match(profile.out, /unknown architecture "sparc64"/);
  assert.equal(mmlens(['scenario', example('uffd-wp-softdirty.mmscenario'), '--format', 'sarif']).code, 2);
});
