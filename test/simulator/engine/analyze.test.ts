// The engine on small functions: every path explored, hazards reported at the
// install with the path and a witness, and the profiles telling kernels apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFunction, analyzeUnit, type IrFunction } from '../../../simulator/src';
import type { Profile } from '../../../simulator/src/model/profile';
import { Simulator } from '../../../simulator/src/simulator';
import { BddLimitError, createAlgebra } from '../../../simulator/src/sym';
import { T, arrow, assign, at, band, block, branch, call, declare, fn, fragmentEnd, goto, k, not, ret, run, v } from './ir';

// pte = mk_pte(page, vma->vm_page_prot);                         line 1
// if (is_writable_migration_entry(entry))                         line 2
//         pte = maybe_mkwrite(pte, vma);                          line 3
// if (pte_swp_uffd_wp(old))                                       line 4
//         pte = pte_mkuffd_wp(pte);                               line 5
// set_pte_at(mm, addr, ptep, pte);                                line 6
const restoreMigration = fn('restore_migration', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep], ['entry', T.swp], ['old', T.pte]], [
  block(0, [declare('pte', T.pte, call('mk_pte', [v('page'), arrow(v('vma'), 'vm_page_prot')], 1), 1)], branch(call('is_writable_migration_entry', [v('entry')], 2), 1, 2, 2)),
  block(1, [assign('pte', call('maybe_mkwrite', [v('pte'), v('vma')], 3), 3)], goto(2)),
  block(2, [], branch(call('pte_swp_uffd_wp', [v('old')], 4), 3, 4, 4)),
  block(3, [assign('pte', call('pte_mkuffd_wp', [v('pte')], 5), 5)], goto(4)),
  block(4, [run(call('set_pte_at', [v('mm'), v('addr'), v('ptep'), v('pte')], 6), 6)], ret()),
]);

test('every feasible path is explored, with its decisions', () => {
  const result = analyzeFunction(restoreMigration, {}, { profile: 'x86_64@6.19' });
  assert.equal(result.paths.length, 4);
  assert.deepEqual(result.paths.map((p) => p.decisions.map((d) => `${d.taken ? '' : '!'}${d.text}`).join(', ')).sort(), [
    '!is_writable_migration_entry(entry), !pte_swp_uffd_wp(old)',
    '!is_writable_migration_entry(entry), pte_swp_uffd_wp(old)',
    'is_writable_migration_entry(entry), !pte_swp_uffd_wp(old)',
    'is_writable_migration_entry(entry), pte_swp_uffd_wp(old)',
  ]);
});

test('before 6.3, pte_mkuffd_wp after maybe_mkwrite installs a writable uffd-wp entry', () => {
  const result = analyzeFunction(restoreMigration, {}, { profile: 'x86_64@6.1' });
  const uffd = result.findings.filter((f) => f.rule === 'uffd-wp-writable');
  assert.equal(uffd.length, 1);
  assert.equal(uffd[0]!.range.start.line, 6, 'reported at the install');
  assert.deepEqual(uffd[0]!.path.map((d) => d.taken), [true, true]);
  assert.equal(uffd[0]!.witness['vma.VM_WRITE'], true);
  assert.ok(uffd[0]!.related.some((r) => r.range.start.line === 5), 'points at the pte_mkuffd_wp call');
});

test('from 6.3 on, pte_mkuffd_wp write-protects: the same code is clean', () => {
  const result = analyzeFunction(restoreMigration, {}, { profile: 'x86_64@6.19' });
  assert.deepEqual(result.findings.filter((f) => f.rule === 'uffd-wp-writable'), []);
});

test('hover data: each helper call with its distinct before → after', () => {
  const result = analyzeFunction(restoreMigration, {}, { profile: 'x86_64@6.19' });
  const mkuffd = result.callSites.filter((c) => c.callee === 'pte_mkuffd_wp');
  assert.ok(mkuffd.length >= 1);
  assert.ok(mkuffd.every((c) => c.after?.bits['UW'] === '1' && c.after?.bits['W'] === '0'));
});

// entry = pmdp_invalidate_ad(vma, addr, pmdp);   line 1
// entry = pmd_modify(entry, newprot);             line 2
// set_pmd_at(mm, addr, pmdp, entry);              line 3
const changeHugePmd = fn('change_huge_pmd', [['vma', T.vma], ['mm', T.mm], ['pmdp', T.pmdp], ['newprot', T.prot]], [
  block(0, [
    declare('entry', T.pmd, call('pmdp_invalidate_ad', [v('vma'), v('addr'), v('pmdp')], 1), 1),
    assign('entry', call('pmd_modify', [v('entry'), v('newprot')], 2), 2),
    run(call('set_pmd_at', [v('mm'), v('addr'), v('pmdp'), v('entry')], 3), 3),
  ], ret()),
]);

test('x86 pmd_modify drops hardware Dirty in 6.6–7.2: dirty-lost at the call and at the install', () => {
  const buggy = analyzeFunction(changeHugePmd, {}, { profile: 'x86_64@6.19' });
  const lines = buggy.findings.filter((f) => f.rule === 'dirty-lost').map((f) => f.range.start.line);
  assert.deepEqual(lines, [2, 3]);
  assert.equal(buggy.findings.find((f) => f.range.start.line === 2)!.witness['*pmdp.D'], true);
  const fixed = analyzeFunction(changeHugePmd, {}, { profile: 'x86_64@7.3' });
  assert.deepEqual(fixed.findings.filter((f) => f.rule === 'dirty-lost'), []);
  const arm = analyzeFunction(changeHugePmd, {}, { profile: 'arm64' });
  assert.deepEqual(arm.findings.filter((f) => f.rule === 'dirty-lost'), []);
});

// ptep_set_wrprotect(mm, addr, ptep);    line 1
// [flush_tlb_range(vma, start, end);]    line 2
// pte_unmap_unlock(ptep, ptl);           line 3
function wrprotectThenUnlock(middle: string | undefined): IrFunction {
  return fn('wp_range', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep]], [
    block(0, [
      run(call('ptep_set_wrprotect', [v('mm'), v('addr'), v('ptep')], 1), 1),
      ...(middle ? [run(call(middle, [v('vma')], 2), 2)] : []),
      run(call('pte_unmap_unlock', [v('ptep'), v('ptl')], 3), 3),
    ], ret()),
  ]);
}

test('stale-tlb: a write-protect left unflushed when the lock is dropped', () => {
  const bad = analyzeFunction(wrprotectThenUnlock(undefined), {}, { profile: 'x86_64' });
  assert.deepEqual(bad.findings.map((f) => [f.rule, f.range.start.line]), [['stale-tlb', 3]]);
  assert.equal(bad.findings[0]!.witness['*ptep.W'], true, 'only a writable entry needs the flush');
  assert.deepEqual(analyzeFunction(wrprotectThenUnlock('flush_tlb_range'), {}, { profile: 'x86_64' }).findings, []);
  assert.deepEqual(analyzeFunction(wrprotectThenUnlock('inc_tlb_flush_pending'), {}, { profile: 'x86_64' }).findings, []);
});

test('shstk-lookalike: pte_mkwrite_shstk installed where the VMA may not be a shadow stack', () => {
  const f = fn('bad_shstk', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep], ['pte', T.pte]], [
    block(0, [assign('pte', call('pte_mkwrite_shstk', [v('pte')], 1), 1), run(call('set_pte_at', [v('mm'), v('addr'), v('ptep'), v('pte')], 2), 2)], ret()),
  ]);
  const result = analyzeFunction(f, {}, { profile: 'x86_64' });
  const shstk = result.findings.find((f) => f.rule === 'shstk-lookalike')!;
  assert.equal(shstk.range.start.line, 2);
  assert.equal(shstk.witness['vma.VM_SHADOW_STACK'], false);
  assert.match(shstk.message, /(present|protnone) W=0 D=1/);
  assert.deepEqual(analyzeFunction(f, {}, { profile: 'arm64' }).findings.filter((x) => x.rule === 'shstk-lookalike'), []);
});

test('a same-file predicate is inlined, so its early returns guard the write upgrade', () => {
  // static bool may_write(vma, pte) { if (pte_uffd_wp(pte)) return false; return vma->vm_flags & VM_WRITE; }
  const mayWrite = fn('may_write', [['vma', T.vma], ['pte', T.pte]], [
    block(0, [], branch(call('pte_uffd_wp', [v('pte')], 11), 1, 2, 11)),
    block(1, [], ret({ kind: 'bool', value: false, range: { start: { line: 12, character: 0 }, end: { line: 12, character: 1 } } })),
    block(2, [], ret(band(arrow(v('vma'), 'vm_flags'), k('VM_WRITE')), 13)),
  ]);
  // if (may_write(vma, pte)) pte = pte_mkwrite(pte, vma); set_pte_at(...);
  const caller = fn('upgrade', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep], ['pte', T.pte]], [
    block(0, [], branch(call('may_write', [v('vma'), v('pte')], 1), 1, 2, 1)),
    block(1, [assign('pte', call('pte_mkwrite', [v('pte'), v('vma')], 2), 2)], goto(2)),
    block(2, [run(call('set_pte_at', [v('mm'), v('addr'), v('ptep'), v('pte')], 3), 3)], ret()),
  ]);
  const results = analyzeUnit({ functions: [mayWrite, caller], annotations: [], allAnnotations: [], annotationErrors: [] }, { profile: 'x86_64' });
  const upgrade = results.find((r) => r.name === 'upgrade')!;
  assert.deepEqual(upgrade.findings.filter((f) => f.rule === 'uffd-wp-writable' || f.rule === 'write-without-vm-write'), []);
  // Without the check, pte_mkwrite on a uffd-wp entry is flagged.
  const unchecked = fn('upgrade', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep], ['pte', T.pte]], [
    block(0, [assign('pte', call('pte_mkwrite', [v('pte'), v('vma')], 2), 2), run(call('set_pte_at', [v('mm'), v('addr'), v('ptep'), v('pte')], 3), 3)], ret()),
  ]);
  const stateRules = new Set(['cow-writable', 'softdirty-bypass', 'uffd-wp-writable', 'write-without-vm-write', 'writenotify-bypass', 'shstk-lookalike']);
  const rules = analyzeFunction(unchecked, {}, { profile: 'x86_64' }).findings.map((f) => f.rule).filter((r) => stateRules.has(r)).sort();
  assert.deepEqual(rules, ['cow-writable', 'softdirty-bypass', 'uffd-wp-writable', 'write-without-vm-write', 'writenotify-bypass']);
});

test('a fragment that never installs: live values are checked as would-be installs, one severity lower', () => {
  const fragment = fn('fragment', [['vma', T.vma], ['pte', T.pte]], [
    block(0, [assign('pte', call('pte_mkwrite_novma', [call('pte_mkuffd_wp', [v('pte')], 1)], 1), 1)], fragmentEnd(2)),
  ], { fragment: true });
  const found = analyzeFunction(fragment, {}, { profile: 'x86_64' }).findings.find((f) => f.rule === 'uffd-wp-writable')!;
  assert.equal(found.severity, 'warning');
  assert.equal(found.wouldBeInstalled, true);
});

test('loops are unrolled a bounded number of times and the bound is reported', () => {
  const loop = fn('walk', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep]], [
    block(0, [], goto(1)),
    block(1, [], branch(call('more', [], 2), 2, 3, 2), true),
    block(2, [run(call('ptep_set_wrprotect', [v('mm'), v('addr'), v('ptep')], 3), 3)], goto(1)),
    block(3, [run(call('flush_tlb_range', [v('vma')], 4), 4)], ret()),
  ]);
  const result = analyzeFunction(loop, {}, { profile: 'x86_64', bounds: { maxLoopUnroll: 2 } });
  assert.ok(result.boundsHit.some((b) => /unrolled at most 2/.test(b)));
  assert.ok(result.paths.length >= 2 && result.paths.length <= 4);
  assert.deepEqual(result.notModelled, ['more']);
});

test('a loop that tests at its end (do-while) or jumps back with goto runs its body at most the bound', () => {
  // do { ptep_set_wrprotect(...); if (stop()) break; } while (more());
  const doWhile = fn('walk_do', [['vma', T.vma], ['mm', T.mm], ['ptep', T.ptep]], [
    block(0, [], goto(1)),
    block(1, [run(call('ptep_set_wrprotect', [v('mm'), v('addr'), v('ptep')], 2), 2)], branch(call('stop', [], 3), 3, 2, 3)),
    block(2, [], branch(call('more', [], 4), 1, 3, 4)),
    block(3, [run(call('flush_tlb_range', [v('vma')], 5), 5)], ret()),
  ]);
  // retry: if (busy()) goto retry;
  const retry = fn('walk_retry', [['vma', T.vma]], [
    block(0, [], goto(1)),
    block(1, [], branch(call('busy', [], 2), 1, 2, 2)),
    block(2, [], ret()),
  ]);
  for (const walk of [doWhile, retry]) {
    const result = analyzeFunction(walk, {}, { profile: 'x86_64', bounds: { maxLoopUnroll: 2 } });
    assert.ok(result.boundsHit.some((b) => /unrolled at most 2/.test(b)), walk.name);
    assert.ok(result.paths.length <= 6, `${walk.name}: ${result.paths.length} paths`);
    assert.ok(!result.boundsHit.some((b) => /steps/.test(b)), walk.name);
  }
});

test('the path bound cuts exploration and says so', () => {
  // each decision leaves its own mark, so no two paths can go on as one
  const blocks = [];
  const flag = (i: number, value: boolean) => assign(`seen${i}`, { kind: 'bool', value, range: at(i) }, i);
  for (let i = 0; i < 12; i++) {
    blocks.push(block(3 * i, [], branch(call(`cond${i}`, [], i), 3 * i + 1, 3 * i + 2, i)));
    blocks.push(block(3 * i + 1, [flag(i, true)], goto(3 * i + 3)));
    blocks.push(block(3 * i + 2, [flag(i, false)], goto(3 * i + 3)));
  }
  blocks.push(block(36, [], ret()));
  const result = analyzeFunction(fn('wide', [], blocks), {}, { profile: 'x86_64', bounds: { maxPaths: 16 } });
  assert.equal(result.paths.length, 16);
  assert.ok(result.boundsHit.includes('analysis truncated after 16 paths'));
});

test('running out of BDD nodes where paths meet keeps the paths explored before, as anywhere else', () => {
  // if (!early()) return; if (cond()) ; else ; return; — the two paths of cond meet with the same state
  const meeting = fn('meeting', [], [
    block(0, [], branch(call('early', [], 1), 2, 1, 1)),
    block(1, [], ret()),
    block(2, [], branch(call('cond', [], 2), 3, 4, 2)),
    block(3, [], goto(5)),
    block(4, [], goto(5)),
    block(5, [], ret()),
  ]);
  // an algebra out of nodes for the first disjunction (merging two paths takes one) after cond() is tested
  let tested = false;
  const exhausted = new Proxy(createAlgebra(), {
    get: (alg, key) => {
      if (key === 'variable') return (name: string) => ((tested ||= name.startsWith('cond')), alg.variable(name));
      if (key === 'or' && tested) {
        tested = false;
        return () => {
          throw new BddLimitError('out of nodes');
        };
      }
      return Reflect.get(alg, key);
    },
  });
  const model = { id: 'exhausted', simulator: (profile: Profile) => new Simulator(profile, exhausted) };
  const result = analyzeFunction(meeting, {}, { profile: 'x86_64', model });
  assert.equal(result.paths.length, 1);
  assert.deepEqual(result.boundsHit, ['out of nodes: the remaining paths were not explored']);
  assert.deepEqual(result.notes, []);
});

test('cancellation stops the analysis and is reported', () => {
  const result = analyzeFunction(restoreMigration, {}, { profile: 'x86_64', isCancelled: () => true });
  assert.deepEqual(result.paths, []);
  assert.ok(result.boundsHit.includes('analysis stopped: cancelled or out of its time budget'));
});

test('@mm assume removes paths the user rules out', () => {
  const assumeWritable = fn('restore_migration', restoreMigration.params.map((p) => [p.name, p.type]), restoreMigration.blocks as never, {
    annotations: [{ kind: 'assume', clauses: [{ kind: 'entry', subject: 'old', bits: [{ name: 'swp_uw', value: false }] }], range: restoreMigration.range, line: 0 }],
  });
  void not;
  const result = analyzeFunction(assumeWritable, {}, { profile: 'x86_64@6.1' });
  assert.deepEqual(result.findings.filter((f) => f.rule === 'uffd-wp-writable'), [], 'the old entry carries no swap uffd-wp bit');
  assert.equal(result.paths.length, 2, 'the pte_swp_uffd_wp(old) branch is infeasible');
});
