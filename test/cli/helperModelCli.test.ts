// `mmlens check --model`: in a copy of the toy tree, code is checked with the tree's helpers by
// default and with the tables on `--model builtin`; the output names the model; a header edited
// between two runs that share a cache directory is not served from the first run's analyses or
// summaries; a bad value is an input error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEEPS_DIRT, PROTECT_HUGE, editFile, toyTreeCopy } from '../helpers/toyTreeCopy';

const cli = join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');

function run(cwd: string, args: string[], cache = mkdtempSync(join(tmpdir(), 'mmlens-cache-'))) {
  return spawnSync(process.execPath, [cli, 'check', ...args], { cwd, encoding: 'utf8', env: { ...process.env, MMLENS_CACHE_DIR: cache } });
}

interface Json {
  readonly models: readonly { readonly kind: string; readonly reason: string; readonly headers?: string; readonly builtinHelpers?: readonly { name: string; reason: string }[] }[];
  readonly files: readonly { readonly model?: string }[];
  readonly findings: readonly { readonly rule: string }[];
}

const json = (cwd: string, args: string[], cache?: string) => JSON.parse(run(cwd, ['--format', 'json', ...args], cache).stdout) as Json;
const rules = (j: Json) => [...new Set(j.findings.map((f) => f.rule))].sort();

/** A caller in another file: protect_huge is summarised from the tree, not checked. */
const CALLER = `/* written for mmlens tests */
void protect_huge(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp);

/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE; folio anon exclusive; *pmdp present W=1 D=1 */
void change_one(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp)
{
	protect_huge(vma, addr, pmdp);
}
`;

test('the model is named in text and JSON, and --model builtin keeps the tables', () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  editFile(root, 'arch/x86/include/asm/pgtable.h', ...KEEPS_DIRT);
  const text = run(root, ['--no-cache', 'mm/huge.c']).stdout;
  assert.match(text, /^model derived: derived from the headers of .* for x86_64@6\.19 \(\d+ helpers from the tree, \d+ built in: /m);
  const derived = json(root, ['--no-cache', 'mm/huge.c']);
  assert.equal(derived.models[0]!.kind, 'derived');
  assert.equal(derived.files[0]!.model, 'derived');
  assert.ok(derived.models[0]!.builtinHelpers!.some((h) => h.name === 'set_pmd_at' || h.name === 'pmd_mkwrite'));
  assert.deepEqual(rules(derived), []);
  const builtin = json(root, ['--no-cache', '--model', 'builtin', 'mm/huge.c']);
  assert.equal(builtin.models[0]!.kind, 'builtin');
  assert.deepEqual(rules(builtin), ['dirty-lost']);
});

test('a header edited between runs sharing a cache: neither analyses nor summaries of the old model are reused', () => {
  const root = toyTreeCopy({ 'mm/huge.c': `${PROTECT_HUGE.replace('static void', 'void')}`, 'mm/caller.c': CALLER });
  const cache = mkdtempSync(join(tmpdir(), 'mmlens-cache-'));
  const before = json(root, ['mm/huge.c', 'mm/caller.c'], cache);
  const callerBefore = json(root, ['mm/caller.c'], cache);
  assert.deepEqual(rules(before), ['dirty-lost']);
  assert.deepEqual(rules(callerBefore), ['dirty-lost']);
  editFile(root, 'arch/x86/include/asm/pgtable.h', ...KEEPS_DIRT);
  const after = json(root, ['mm/huge.c', 'mm/caller.c'], cache);
  assert.notEqual(after.models[0]!.headers, before.models[0]!.headers);
  assert.deepEqual(rules(after), []);
  assert.deepEqual(rules(json(root, ['mm/caller.c'], cache)), []);
});

test('--model takes builtin or derived', () => {
  const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
  const bad = run(root, ['--model', 'tables', 'mm/huge.c']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--model takes builtin or derived, not "tables"/);
});
