// The analysis status names the profile a document was analysed on and why: its kernel tree,
// its mail headers, the mmlens.profile setting, or mmlens.tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, serverForFile } from '../lspClient';
import { fakeKernelTree, x86Config } from '../../helpers/fakeKernelTree';

const RESTORE = `static void demo_restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
{
\tpte = pte_mkwrite(pte, vma);
\tset_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

const REPLY = `From: R. Reviewer <reviewer@example.org>
Subject: Re: [PATCH 6.6.y] mm/demo: restore the entry writable
Date: Mon, 5 Dec 2022 10:00:00 +0100

> diff --git a/mm/demo.c b/mm/demo.c
> --- a/mm/demo.c
> +++ b/mm/demo.c
> @@ -1,4 +1,5 @@
>  static void demo_restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)
>  {
> +\tpte = pte_mkdirty(pte);
>  \tpte = pte_mkwrite(pte, vma);
>  \tset_pte_at(vma->vm_mm, addr, ptep, pte);
`;

const server = serverForFile({ diagnostics: 'push' });

test('a C file in a kernel tree: the tree version and .config, and the reason', async () => {
  const root = fakeKernelTree({ version: '6.1.55', config: x86Config(['MEM_SOFT_DIRTY']) });
  const uri = fileUri(join(root, 'mm', 'demo.c'));
  server.client.open(uri, RESTORE);
  const status = await server.client.status(uri);
  assert.equal(status.profile, 'x86_64@6.1 -MEM_SOFT_DIRTY');
  assert.equal(status.profileSource, 'tree');
  assert.equal(status.profileReason, `from the kernel tree at ${root}: Makefile 6.1.55, .config`);
});

test('a mail: the version in its subject wins over its Date:', async () => {
  const uri = fileUri(join(mkdtempSync(join(tmpdir(), 'mmlens-mail-')), 'reply.eml'));
  server.client.open(uri, REPLY, 'plaintext');
  const status = await server.client.status(uri);
  assert.deepEqual([status.profile, status.profileSource, status.profileReason], ['x86_64@6.6', 'subject', 'from the subject\'s "6.6.y"']);
});

test('the mmlens.profile setting wins over the tree; mmlens.tree names a tree for files outside it', async () => {
  const root = fakeKernelTree({ version: '6.1.55' });
  const inTree = fileUri(join(root, 'mm', 'demo.c'));
  const outside = fileUri(join(mkdtempSync(join(tmpdir(), 'mmlens-outside-')), 'demo.c'));
  server.client.open(inTree, RESTORE);
  server.client.open(outside, RESTORE);
  assert.equal((await server.client.status(inTree)).profileSource, 'tree');
  assert.equal((await server.client.status(outside)).profileSource, 'default');

  let from = server.client.events.length;
  server.client.changeSettings({ profile: 'arm64@6.10' });
  const given = await server.client.status(inTree, undefined, from);
  assert.deepEqual([given.profile, given.profileSource, given.profileReason], ['arm64@6.10', 'setting', 'from the mmlens.profile setting']);
  await server.client.status(outside, undefined, from); // both analysed again before the next change

  const named = fakeKernelTree({ version: '5.15.3' });
  from = server.client.events.length;
  server.client.changeSettings({ profile: 'auto', tree: named });
  const fromSetting = await server.client.status(outside, undefined, from);
  assert.deepEqual([fromSetting.profile, fromSetting.profileSource], ['x86_64@5.15', 'tree']);
});
