// The kernel tree of a check: found above a file, read from its Makefile and .config.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findKernelTree, KernelTreeError, openKernelTree, parseKernelConfig, parseMakefileVersion } from '../../server/src/inputs/kernelTree';
import { fakeKernelTree, x86Config } from '../helpers/fakeKernelTree';

test('the Makefile names the release; x.y is the version when the model covers it', () => {
  assert.deepEqual(parseMakefileVersion('VERSION = 6\nPATCHLEVEL = 19\nSUBLEVEL = 9\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n'), { release: '6.19.9', version: { major: 6, minor: 19 } });
  assert.deepEqual(parseMakefileVersion('VERSION = 7\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION = -rc3\n'), { release: '7.1.0-rc3', version: { major: 7, minor: 1 } });
  assert.deepEqual(parseMakefileVersion('VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = 32\nEXTRAVERSION =\n'), { release: '2.6.32', version: undefined });
  // a subdirectory's kbuild Makefile sets no version
  assert.equal(parseMakefileVersion('obj-y := memory.o mprotect.o\n'), undefined);
});

test('a .config gives the architecture and the profile symbols it enables (y or m)', () => {
  const x86 = parseKernelConfig(x86Config(['MEM_SOFT_DIRTY']).join('\n'), '/src/.config');
  assert.equal(x86.arch, 'x86_64');
  assert.ok(x86.enabled.includes('X86_USER_SHADOW_STACK'));
  assert.ok(!x86.enabled.includes('MEM_SOFT_DIRTY'));
  assert.ok(!x86.enabled.includes('X86_64'), 'only symbols the model knows are kept');
  const arm = parseKernelConfig('CONFIG_ARM64=y\nCONFIG_DEVICE_PRIVATE=m\n# CONFIG_NUMA_BALANCING is not set\n', '/src/.config');
  assert.deepEqual([arm.arch, arm.enabled], ['arm64', ['DEVICE_PRIVATE']]);
  assert.equal(parseKernelConfig('CONFIG_RISCV=y\nCONFIG_64BIT=y\n', '/src/.config').arch, 'generic');
});

test('a tree is found above a file in it, with its .config; outside any tree there is none', () => {
  const root = fakeKernelTree({ version: '6.1.55', config: x86Config(['MEM_SOFT_DIRTY']), files: { 'mm/mprotect.c': '' } });
  const tree = findKernelTree(join(root, 'mm', 'mprotect.c'));
  assert.equal(tree?.root, root);
  assert.equal(tree?.release, '6.1.55');
  assert.deepEqual(tree?.version, { major: 6, minor: 1 });
  assert.equal(tree?.config?.path, join(root, '.config'));
  assert.equal(findKernelTree(join(root, 'mm'))?.root, root, 'from a directory too');
  const outside = mkdtempSync(join(tmpdir(), 'mmlens-notree-'));
  writeFileSync(join(outside, 'demo.c'), '');
  assert.equal(findKernelTree(join(outside, 'demo.c')), undefined);
});

test('a Makefile without arch/ and include/ beside it is not a tree root', () => {
  const root = fakeKernelTree({ version: '6.6' });
  // tools/ in a kernel tree has a Makefile of its own but is no root: the search goes on up
  mkdirSync(join(root, 'tools', 'mm'), { recursive: true });
  writeFileSync(join(root, 'tools', 'Makefile'), 'VERSION = 1\nPATCHLEVEL = 0\n');
  assert.equal(findKernelTree(join(root, 'tools', 'mm'))?.root, root);
  assert.throws(() => openKernelTree(join(root, 'tools')), (error: Error) => error instanceof KernelTreeError && /has no arch\/ or include\/ directory/.test(error.message));
});

test('a named tree that is not one says why', () => {
  const empty = mkdtempSync(join(tmpdir(), 'mmlens-notree-'));
  assert.throws(() => openKernelTree(empty), /is not a kernel tree: .* has no Makefile/);
  assert.throws(() => openKernelTree(join(empty, 'nope')), /is not a directory/);
  mkdirSync(join(empty, 'arch'));
  mkdirSync(join(empty, 'include'));
  writeFileSync(join(empty, 'Makefile'), 'all:\n\ttrue\n');
  assert.throws(() => openKernelTree(empty), /does not set VERSION and PATCHLEVEL/);
});

test('a changed .config is read again', () => {
  const root = fakeKernelTree({ version: '6.19.2', config: x86Config() });
  assert.ok(openKernelTree(root).config?.enabled.includes('MEM_SOFT_DIRTY'));
  writeFileSync(join(root, '.config'), x86Config(['MEM_SOFT_DIRTY', 'NUMA_BALANCING']).join('\n') + '\n# a different size\n');
  assert.ok(!openKernelTree(root).config?.enabled.includes('MEM_SOFT_DIRTY'));
});
