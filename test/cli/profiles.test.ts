// `mmlens check` without --profile: each file's kernel tree or mail headers choose, and the
// output says which profile and why (text, JSON `profile`/`profileSource`, SARIF run properties).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeKernelTree, x86Config } from '../helpers/fakeKernelTree';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'out', 'server', 'src', 'cli', 'main.js');

function mmlens(args: string[], cwd = repo) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const RESTORE = `static void demo_restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
{
\tif (vma->vm_flags & VM_WRITE)
\t\tpte = pte_mkwrite(pte, vma);
\tset_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

const MAIL = `From: A. Developer <dev@example.org>
Subject: [PATCH] mm/demo: restore the entry writable
Date: Wed, 8 Feb 2023 09:30:00 +0000

diff --git a/mm/demo.c b/mm/demo.c
--- a/mm/demo.c
+++ b/mm/demo.c
@@ -1,5 +1,6 @@
 static void demo_restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
 {
+\tpte = pte_mkdirty(pte);
 \tif (vma->vm_flags & VM_WRITE)
 \t\tpte = pte_mkwrite(pte, vma);
 \tset_pte_at(vma->vm_mm, addr, ptep, pte);
`;

const json = (out: string) => JSON.parse(out) as { profile: string | null; files: { file: string; profile: string; profileSource: string; profileReason: string }[] };

test('a C file in a kernel tree is analysed on the tree version and .config, and says so', () => {
  const root = fakeKernelTree({ version: '6.1.55', config: x86Config(['MEM_SOFT_DIRTY']), files: { 'mm/demo.c': RESTORE } });
  const text = mmlens(['check', 'mm/demo.c'], root);
  assert.match(text.out, new RegExp(`^profile x86_64@6\\.1 -MEM_SOFT_DIRTY \\(from the kernel tree at ${root}: Makefile 6\\.1\\.55, \\.config\\)$`, 'm'));
  const out = json(mmlens(['check', '--format', 'json', 'mm/demo.c'], root).out);
  assert.equal(out.profile, 'x86_64@6.1 -MEM_SOFT_DIRTY');
  assert.deepEqual(out.files.map((f) => [f.file, f.profileSource]), [['mm/demo.c', 'tree']]);
  // --profile wins over the tree
  const given = json(mmlens(['check', '--format', 'json', '--profile', 'arm64@6.10', 'mm/demo.c'], root).out);
  assert.deepEqual([given.profile, given.files[0]!.profileSource, given.files[0]!.profileReason], ['arm64@6.10', 'flag', 'from --profile']);
});

test('a mail outside any tree: its Date: chooses; --tree names a tree that wins over it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-mail-'));
  writeFileSync(join(dir, 'demo.eml'), MAIL);
  const byDate = json(mmlens(['check', '--format', 'json', 'demo.eml'], dir).out);
  assert.deepEqual(byDate.files, [{ file: 'demo.eml', profile: 'x86_64@6.2', profileSource: 'date', profileReason: "from the mail's Date: 2023-02-08", model: 'builtin', modelReason: 'the built-in tables: the code is not in a kernel tree' }]);

  const root = fakeKernelTree({ version: '6.6.8' });
  const byTree = json(mmlens(['check', '--format', 'json', '--tree', root, 'demo.eml'], dir).out);
  assert.deepEqual([byTree.profile, byTree.files[0]!.profileSource], ['x86_64@6.6', 'tree']);

  const notATree = mmlens(['check', '--tree', dir, 'demo.eml'], dir);
  assert.equal(notATree.code, 2);
  assert.match(notATree.err, /--tree: .* is not a kernel tree: .* has no Makefile/);
});

test('files on different profiles: the top-level profile is null, each file has its own; SARIF carries them in run properties', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-mixed-'));
  writeFileSync(join(dir, 'demo.eml'), MAIL);
  writeFileSync(join(dir, 'demo.c'), RESTORE);
  const out = json(mmlens(['check', '--format', 'json', 'demo.c', 'demo.eml'], dir).out);
  assert.equal(out.profile, null);
  assert.deepEqual(out.files.map((f) => [f.file, f.profile, f.profileSource]), [['demo.c', 'x86_64@6.19', 'default'], ['demo.eml', 'x86_64@6.2', 'date']]);
  const text = mmlens(['check', 'demo.c', 'demo.eml'], dir).out;
  assert.match(text, /^profile x86_64@6\.19 \(the default: .*\): demo\.c$/m);
  assert.match(text, /^profile x86_64@6\.2 \(from the mail's Date: 2023-02-08\): demo\.eml$/m);

  const sarif = JSON.parse(mmlens(['check', '--format', 'sarif', 'demo.c', 'demo.eml'], dir).out);
  assert.equal(sarif.runs[0].properties.profile, null);
  assert.deepEqual(sarif.runs[0].properties.documents.map((d: { uri: string; profileSource: string }) => [d.uri, d.profileSource]), [['demo.c', 'default'], ['demo.eml', 'date']]);
});

test('simulate takes the tree profile too', () => {
  const root = fakeKernelTree({ version: '5.15.100', files: { 'mm/demo.c': RESTORE } });
  const { code, out, err } = mmlens(['simulate', 'mm/demo.c:demo_restore'], root);
  assert.equal(code, 0, err);
  assert.match(out, /^demo_restore on x86_64@5\.15: /);
  assert.match(out, /^profile x86_64@5\.15 \(from the kernel tree at .*: Makefile 5\.15\.100, no \.config\)$/m);
});
