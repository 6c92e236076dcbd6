// `mmlens check` with a kernel tree as context: the tree's functions are summarised where the
// checked files call them, a function called from another checked file is judged at those calls,
// findings sit where they happen (once), analyses are kept in the cache directory, and test code
// is told apart by its Makefile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeForCheck } from '../../server/src/cli/checkDocument';
import { openKernelTree } from '../../server/src/inputs/kernelTree';
import { fakeKernelTree } from '../helpers/fakeKernelTree';
import { testParser } from '../helpers/parser';
import { lineOf, mmFile, SET_ENTRY, setEntryCaller } from '../helpers/treeSources';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'out', 'server', 'src', 'cli', 'main.js');

/** `mmlens check --format json …` in `cwd`, each run with its own cache directory unless `env` names one. */
function check(cwd: string, args: string[], env: Record<string, string> = { MMLENS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'mmlens-cache-')) }) {
  const result = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.ok(result.stdout.startsWith('{'), result.stderr);
  return { code: result.status, out: result.stdout, json: JSON.parse(result.stdout) as { findings: JsonFinding[] } };
}

interface JsonFinding {
  readonly rule: string;
  readonly severity: string;
  readonly file: string;
  readonly line: number;
  readonly function: string;
  readonly message: string;
  readonly condition: string | null;
  readonly via: readonly { function: string; file: string; line: number; callee: string }[];
  readonly testCode: string | null;
}

/** Each finding as `rule severity file:line function`. */
const placed = (findings: readonly JsonFinding[]) => findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line} ${f.function}`);

/** mm/a.c defines set_entry; each caller file given calls it. */
function treeWith(callers: Record<string, string>, more: Record<string, string> = {}): string {
  return fakeKernelTree({ version: '6.19', files: { 'mm/a.c': mmFile(SET_ENTRY), ...callers, ...more } });
}

/** The 1-based line of set_entry's install in mm/a.c. */
const INSTALL = lineOf(mmFile(SET_ENTRY), 'set_pte_at(') + 1;
/** The 1-based line of the call in a file of setEntryCaller. */
const CALL = lineOf(mmFile(setEntryCaller('f', 'x')), 'set_entry(') + 1;
const ONLY_WRITE = ['--rules', 'write-without-vm-write'];

test('a function of another checked file is judged at its calls: nothing where every caller passes what the VMA allows', () => {
  const root = treeWith({ 'mm/b.c': mmFile(setEntryCaller('restore_entry', 'vma->vm_flags & VM_WRITE')) });
  const { code, json } = check(root, [...ONLY_WRITE, 'mm/a.c', 'mm/b.c']);
  assert.deepEqual(placed(json.findings), []);
  assert.equal(code, 0);
});

test('a caller that passes a bad value: the finding sits at the install in the callee\'s file and line, reached via the call', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')) });
  const [finding, ...more] = check(root, [...ONLY_WRITE, 'mm/a.c', 'mm/c.c']).json.findings;
  assert.deepEqual(more, []);
  assert.deepEqual(placed([finding!]), [`write-without-vm-write error mm/a.c:${INSTALL} set_entry`]);
  assert.deepEqual(finding!.via, [{ function: 'force_entry', file: 'mm/c.c', line: CALL, callee: 'set_entry' }]);
  assert.equal(finding!.condition, null);
});

test('a callee of the tree that is not checked: the finding sits at the call in the checked file', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')) });
  const { json } = check(root, [...ONLY_WRITE, 'mm/c.c']);
  assert.deepEqual(placed(json.findings), [`write-without-vm-write error mm/c.c:${CALL} force_entry`]);
  assert.match(json.findings[0]!.message, /\(in set_entry, mm\/a\.c\)$/);
});

test('a function no checked file calls is a root: it states what the caller must pass, one severity lower', () => {
  // mm/b.c calls it, but mm/b.c is not checked
  const root = treeWith({ 'mm/b.c': mmFile(setEntryCaller('restore_entry', 'vma->vm_flags & VM_WRITE')) });
  const [finding, ...more] = check(root, [...ONLY_WRITE, 'mm/a.c']).json.findings;
  assert.deepEqual(more, []);
  assert.deepEqual(placed([finding!]), [`write-without-vm-write warning mm/a.c:${INSTALL} set_entry`]);
  assert.equal(finding!.condition, 'if the caller passes writable');
  assert.deepEqual(finding!.via, []);
});

test('a header\'s static inline function belongs to the files that include it: called from a checked file, it is judged there, not a root', () => {
  const root = fakeKernelTree({ version: '6.19', files: { 'mm/internal.h': `static inline ${SET_ENTRY}`, 'mm/b.c': mmFile(setEntryCaller('restore_entry', 'vma->vm_flags & VM_WRITE')) } });
  assert.deepEqual(placed(check(root, [...ONLY_WRITE, 'mm/internal.h', 'mm/b.c']).json.findings), []);
  // checked alone, nothing calls it: a root
  assert.deepEqual(placed(check(root, [...ONLY_WRITE, 'mm/internal.h']).json.findings), [`write-without-vm-write warning mm/internal.h:${lineOf(SET_ENTRY, 'set_pte_at(') + 1} set_entry`]);
});

test('a callee\'s finding reached from two checked files is reported once, in the callee\'s file', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')), 'mm/d.c': mmFile(setEntryCaller('force_again', '1')) });
  assert.deepEqual(placed(check(root, [...ONLY_WRITE, 'mm/a.c', 'mm/c.c', 'mm/d.c']).json.findings), [`write-without-vm-write error mm/a.c:${INSTALL} set_entry`]);
  // without the callee's file, each call is where it happens
  assert.deepEqual(placed(check(root, [...ONLY_WRITE, 'mm/c.c', 'mm/d.c']).json.findings), [
    `write-without-vm-write error mm/c.c:${CALL} force_entry`,
    `write-without-vm-write error mm/d.c:${CALL} force_again`,
  ]);
});

test('however the checked files are named, a callee\'s finding sits in its own file', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')) });
  for (const a of ['./mm/a.c', join(root, 'mm', 'a.c')]) {
    assert.deepEqual(placed(check(root, [...ONLY_WRITE, a, 'mm/c.c']).json.findings), [`write-without-vm-write error ${a}:${INSTALL} set_entry`]);
  }
});

/** The files of a cache directory, each with its inode: a file written again is a new one. */
function cacheFiles(directory: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path);
      else files.set(path.slice(directory.length), stats.ino);
    }
  };
  if (existsSync(directory)) walk(directory);
  return files;
}

test('the cache directory: a second identical run gives the same output and writes nothing again', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')) });
  const env = { MMLENS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'mmlens-cache-')) };
  const first = check(root, ['mm/a.c', 'mm/c.c'], env);
  const kept = cacheFiles(env.MMLENS_CACHE_DIR);
  const kinds = new Set([...kept.keys()].map((path) => path.split('/').at(-3)));
  // the checked files' functions are the tree's: their analyses are kept once, as the tree's roots
  assert.deepEqual([...kinds].sort(), ['files', 'lowerings', 'roots', 'summaries']);
  const second = check(root, ['mm/a.c', 'mm/c.c'], env);
  assert.equal(second.out, first.out);
  assert.deepEqual(cacheFiles(env.MMLENS_CACHE_DIR), kept);
});

test('--no-cache writes nothing to the cache directory', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'true')) });
  const env = { MMLENS_CACHE_DIR: join(mkdtempSync(join(tmpdir(), 'mmlens-cache-')), 'cache') };
  assert.equal(check(root, ['--no-cache', 'mm/a.c', 'mm/c.c'], env).json.findings.length > 0, true);
  assert.deepEqual(cacheFiles(env.MMLENS_CACHE_DIR), new Map());
});

test('the cache after an edit: the edited function\'s results change, what it did not touch is read back', () => {
  const root = treeWith({ 'mm/c.c': mmFile(setEntryCaller('force_entry', 'vma->vm_flags & VM_WRITE')) });
  const env = { MMLENS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'mmlens-cache-')) };
  assert.deepEqual(check(root, [...ONLY_WRITE, 'mm/a.c', 'mm/c.c'], env).json.findings, []);
  const before = cacheFiles(env.MMLENS_CACHE_DIR);
  writeFileSync(join(root, 'mm', 'c.c'), mmFile(setEntryCaller('force_entry', 'true')));
  const edited = check(root, [...ONLY_WRITE, 'mm/a.c', 'mm/c.c'], env);
  assert.deepEqual(placed(edited.json.findings), [`write-without-vm-write error mm/a.c:${INSTALL} set_entry`]);
  assert.equal(edited.out, check(root, [...ONLY_WRITE, '--no-cache', 'mm/a.c', 'mm/c.c']).out);
  const after = cacheFiles(env.MMLENS_CACHE_DIR);
  for (const [path, inode] of before) assert.equal(after.get(path), inode, `${path} was written again`);
  assert.ok(after.size > before.size);
});

/** A root that makes a read-only entry writable: an error wherever it is. */
const MAKE_WRITABLE = 'void make_writable(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\tset_pte_at(vma->vm_mm, addr, ptep, pte_mkwrite(ptep_get(ptep), vma));\n}\n';

test('test code, as its directory\'s Makefile says: findings are information and name the option', () => {
  const root = fakeKernelTree({
    version: '6.19',
    files: {
      'mm/Makefile': 'obj-y := memory.o \\\n\t failure.o\nobj-$(CONFIG_DEBUG_VM_PGTABLE) += debug_pgtable.o\nobj-$(CONFIG_PTE_HELPERS_KUNIT_TEST) += pte_kunit.o\nobj-$(CONFIG_MEMORY_FAILURE) += hwpoison.o\n',
      'mm/failure.c': mmFile(MAKE_WRITABLE),
      'mm/hwpoison.c': mmFile(MAKE_WRITABLE),
      'mm/debug_pgtable.c': mmFile(MAKE_WRITABLE),
      'mm/pte_kunit.c': mmFile(MAKE_WRITABLE),
    },
  });
  const { json } = check(root, [...ONLY_WRITE, 'mm']);
  const byFile = Object.fromEntries(json.findings.map((f) => [f.file, [f.severity, f.testCode]]));
  assert.deepEqual(byFile, {
    'mm/debug_pgtable.c': ['info', 'CONFIG_DEBUG_VM_PGTABLE'],
    'mm/failure.c': ['error', null],
    'mm/hwpoison.c': ['error', null],
    'mm/pte_kunit.c': ['info', 'CONFIG_PTE_HELPERS_KUNIT_TEST'],
  });
  assert.match(json.findings.find((f) => f.testCode)!.message, /\(test code: built only with CONFIG_DEBUG_VM_PGTABLE\)$/);
});

test('--tree: a file outside the tree uses the tree\'s functions', () => {
  const root = treeWith({});
  const outside = mkdtempSync(join(tmpdir(), 'mmlens-outside-'));
  mkdirSync(join(outside, 'mm'));
  writeFileSync(join(outside, 'mm', 'c.c'), mmFile(setEntryCaller('force_entry', 'true')));
  assert.deepEqual(placed(check(outside, [...ONLY_WRITE, 'mm/c.c']).json.findings), []);
  assert.deepEqual(placed(check(outside, [...ONLY_WRITE, '--tree', root, 'mm/c.c']).json.findings), [`write-without-vm-write error mm/c.c:${CALL} force_entry`]);
});

test('the tree of a check, given in its settings (what --tree sets): the same for a check in-process', async () => {
  const root = treeWith({});
  const outside = mkdtempSync(join(tmpdir(), 'mmlens-outside-'));
  const document = { path: 'c.c', text: mmFile(setEntryCaller('force_entry', 'true')) };
  const parser = await testParser();
  const findings = (tree?: string) => analyzeForCheck(parser, document, { cwd: outside, rules: ['write-without-vm-write'], ...(tree ? { tree: openKernelTree(tree) } : {}) }).findings;
  assert.deepEqual(findings(), []);
  assert.deepEqual(findings(root).map((f) => [f.function, f.via?.map((step) => step.callee)]), [['force_entry', ['set_entry']]]);
});
