// `mmlens model diff --tree` and `mmlens laws --tree` on the toy tree: differences with the
// entry that shows them, law failures with the definitions' file:line, usage errors.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { TOY_TREE } from '../helpers/toyTree';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'out', 'server', 'src', 'cli', 'main.js');

function mmlens(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('model diff lists what differs from the built-in tables, with a counterexample entry', () => {
  const { code, out } = mmlens('model', 'diff', '--tree', TOY_TREE);
  assert.equal(code, 0);
  assert.match(out, /^model diff: .*toy-tree, x86_64@6\.19 \(from the kernel tree at .*: Makefile 6\.19\.0, no \.config\)$/m);
  assert.match(out, /^DIFFERS pte_mkwrite \(include\/linux\/pgtable\.h:\d+\)$/m);
  assert.match(out, /^ {4}D: built-in 1, derived 0 when pte: SD$/m);
  assert.match(out, /^ {4}W: built-in 0, derived 1 when vma: VM_SHADOW_STACK$/m);
  assert.match(out, /^not derived \(\d+\):$/m);
  assert.match(out, /^ {2}pud_mkdirty — pud_mkdirty has no definition in the headers read/m);
});

test('laws --tree proves the laws on the tree\'s own helpers and names the definitions of a failure', () => {
  const { code, out } = mmlens('laws', '--tree', TOY_TREE);
  assert.equal(code, 0);
  assert.match(out, /^x86_64@6\.19 \(derived\): \d+ hold, 1 fail, \d+ not applicable$/m);
  assert.match(out, /FAILS {2}pmd_dirty\(x\) → pmd_dirty\(pmd_modify\(x, prot\)\) for any prot/);
  assert.match(out, /^ {9}counterexample: x_pmd: D$/m);
  assert.match(out, /^ {9}definitions: pmd_dirty \(arch\/x86\/include\/asm\/pgtable\.h:\d+\), pmd_modify \(arch\/x86\/include\/asm\/pgtable\.h:\d+\)$/m);
});

test('a profile can be named; bad input is a usage error, not a crash', () => {
  assert.match(mmlens('laws', '--tree', TOY_TREE, '--profile', 'x86_64@6.19 -MEM_SOFT_DIRTY').out, /x86_64@6\.19 -MEM_SOFT_DIRTY \(derived\)/);
  const noTree = mmlens('model', 'diff');
  assert.equal(noTree.code, 2);
  assert.match(noTree.err, /model diff needs --tree DIR/);
  const notATree = mmlens('model', 'diff', '--tree', join(repo, 'docs'));
  assert.equal(notATree.code, 2);
  assert.match(notATree.err, /is not a kernel tree/);
  const generic = mmlens('model', 'diff', '--tree', TOY_TREE, '--profile', 'generic');
  assert.equal(generic.code, 2);
  assert.match(generic.err, /the generic profile has no architecture headers/);
});

test('laws --tree --patch: what a header patch breaks and repairs, per hunk; exit 1 when it breaks a law', () => {
  const { code, out } = mmlens('laws', '--tree', TOY_TREE, '--patch', join(repo, 'examples', 'toy-header.patch'));
  assert.equal(code, 1);
  assert.match(out, /^INTRODUCED uffd-wp-read-only@pte: /m);
  assert.match(out, /^ {4}by hunk 1 of arch\/x86\/include\/asm\/pgtable\.h @@ -51,7 \+51,7 @@: pte_mkuffd_wp$/m);
  assert.match(out, /^fixed {6}modify-keeps-dirty@pmd: /m);
  assert.match(out, /^ {4}by hunk 2 of arch\/x86\/include\/asm\/pgtable\.h @@ -73,11 \+73,11 @@: pmd_modify$/m);
  assert.equal(mmlens('laws', '--patch', 'x.patch').code, 2);
});

test('laws --patch judges a patch on the profile check judges it on: an arm64 header patch is read as arm64', () => {
  const patch = join(repo, 'test', 'fixtures', 'headers', 'patches', 'arm64-wrprotect-loses-dirt.patch');
  const laws = mmlens('laws', '--tree', TOY_TREE, '--patch', patch);
  assert.equal(laws.code, 1);
  assert.match(laws.out, /^laws across .* arm64@6\.19 \(.*arm64 for the headers it patches\)$/m);
  assert.match(laws.out, /^INTRODUCED wrprotect-keeps-dirty@pte: /m);
  const check = JSON.parse(mmlens('check', '--tree', TOY_TREE, '--format', 'json', patch).out) as { findings: { law?: { id: string; profile: string } }[] };
  assert.deepEqual(check.findings.map((f) => [f.law?.id, f.law?.profile]), [['wrprotect-keeps-dirty', 'arm64@6.19']]);
});

test('model diff reads the swap entry layout from the tree and says what it checked', () => {
  const { out } = mmlens('model', 'diff', '--tree', TOY_TREE);
  assert.match(out, /^swap entry layout \(pte\), from __swp_entry \(arch\/x86\/include\/asm\/pgtable\.h:\d+\), /m);
  assert.match(out, /^ {2}type bits 58–62, offset bits 10–49; carry flags swp_sd bit 4, swp_uw bit 1, swp_x bit 2$/m);
  assert.match(out, /^ {2}the carry flags and the present and PROT_NONE bits are 0 in every swap entry/m);
  assert.match(out, /^swap entry layout \(pmd\): not read — __swp_entry_to_pmd has no definition/m);
});
