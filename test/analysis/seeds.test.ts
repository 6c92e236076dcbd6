// What the seed threads (../shared/seeds, DESIGN.md "Seed scenarios") ask mmlens to show,
// run through the whole pipeline on the threads as they were posted. Seeds 002 and 003 need
// scenarios and interleavings (a later issue); seed 004 has no code in it, so its question
// is answered by test/fixtures/seeds/fork-huge-pud.c, written for it.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/analysis/analyzeDocument';
import { testParser } from '../helpers/parser';
import { repoRoot, seedsDirectory } from '../helpers/paths';

const seeds = seedsDirectory();
const skip = existsSync(seeds) ? false : `no seeds at ${seeds}`;

function seedText(number: string): string {
  const file = readdirSync(seeds).find((f) => f.startsWith(`${number}_`));
  assert.ok(file, `seed ${number} exists`);
  return readFileSync(join(seeds, file), 'utf8');
}

async function analyse(text: string, profile: string | undefined, path = 'thread.txt'): Promise<DocumentAnalysis> {
  return analyzeDocument(await testParser(), text, { path, ...(profile ? { profile } : {}) });
}

const decisionsOf = (path: readonly { text: string; taken: boolean }[]) => path.map((d) => (d.taken ? d.text : `!${d.text}`));

test('seed 000: can_change_pte_writable — W=0/D=1 cannot reach the mkwrite return in a non-shadow-stack VMA on x86 6.6+', { skip }, async () => {
  // The quoted function, with an assumption and an assertion a reviewer would add.
  const annotated = seedText('000')
    .replace('> + struct page *page;\n', '> + struct page *page;\n> + /* @mm assume vma !VM_SHADOW_STACK */\n')
    .replace('> + return true;\n', '> + /* @mm state pte W=0 D=0 SD=1 */\n> + return true;\n');

  const now = await analyse(annotated, 'x86_64');
  const fn = now.functions.find((f) => f.name === 'can_change_pte_writable');
  assert.ok(fn, 'the quoted function is analysed');
  // Every early return is a path of its own (seven returns; the !page test splits in two).
  assert.ok(fn.paths.length >= 7, `${fn.paths.length} paths`);
  assert.ok(fn.paths.every((p) => p.end === 'return'));
  // On the path that returns true the entry is read-only and dirty only through SavedDirty:
  // pte_wrprotect moved D there, and pte_dirty() reads it.
  assert.deepEqual(now.findings, []);

  // Before SavedDirty (6.1) the same entry keeps D=1: the assertion fails there.
  const before = await analyse(annotated, 'x86_64@6.1');
  assert.deepEqual(before.findings.map((f) => f.rule), ['state-mismatch']);
});

test('seed 001: the quoted remove_migration_pte flags uffd-wp-writable on the uffd-wp path; the NUMA fix is clean', { skip }, async () => {
  const thread = seedText('001');
  // The thread discusses 6.1-era code: pte_mkuffd_wp() did not yet clear the write bit.
  const analysis = await analyse(thread, 'x86_64@6.1');

  const migrationBefore = analysis.functions.find((f) => f.name === 'remove_migration_pte' && f.side === 'pre');
  assert.ok(migrationBefore, 'the pre-image of the migration hunk is analysed');
  const uffd = migrationBefore.findings.filter((f) => f.rule === 'uffd-wp-writable');
  assert.ok(
    uffd.some((f) => decisionsOf(f.path).join(' → ').includes('!is_writable_migration_entry(entry) → pte_swp_uffd_wp(*pvmw.pte)')),
    `uffd-wp-writable on the uffd-wp branch (paths: ${uffd.map((f) => decisionsOf(f.path).join(' → ')).join(' | ')})`,
  );

  // The first NUMA hunk write-protects uffd-wp entries: the hazard is fixed by it.
  const fixed = analysis.findings.filter((f) => f.change === 'fixed');
  assert.ok(fixed.some((f) => f.rule === 'uffd-wp-writable' && f.function === 'do_numa_page'), 'do_numa_page: uffd-wp-writable fixed');
  // Restoring a NUMA-hinting entry read-only although it may be writable: info, not error.
  const writeLost = analysis.findings.filter((f) => f.rule === 'write-lost-numa');
  assert.ok(writeLost.length > 0 && writeLost.every((f) => f.severity === 'information'));
  assert.ok(writeLost.every((f) => decisionsOf(f.path).includes('!was_writable')));
  // Nothing is introduced by any of the proposed hunks.
  assert.deepEqual(analysis.findings.filter((f) => f.change === 'introduced'), []);
});

test('seed 001: the migration fix as quoted assigns `pt`, so the hazard stays; with `pte` it is fixed', { skip }, async () => {
  const thread = seedText('001');
  const onMigration = (a: DocumentAnalysis) => a.findings.filter((f) => f.function === 'remove_migration_pte' && f.rule === 'uffd-wp-writable' && decisionsOf(f.path).includes('pte_swp_uffd_wp(*pvmw.pte)'));

  const asQuoted = onMigration(await analyse(thread, 'x86_64@6.1'));
  assert.deepEqual(asQuoted.map((f) => f.change), ['unchanged']);

  const corrected = onMigration(await analyse(thread.replace('+ pt = pte_wrprotect(pte);', '+ pte = pte_wrprotect(pte);'), 'x86_64@6.1'));
  assert.deepEqual(corrected.map((f) => f.change), ['fixed']);
});

test('seed 001 opened as posted, with no profile given: its Date: chooses 6.1; the NUMA hunk fixes uffd-wp-writable, the migration hunk does not', { skip }, async () => {
  const analysis = await analyse(seedText('001'), undefined);
  assert.deepEqual(analysis.profile, { profile: 'x86_64@6.1', source: 'date', reason: "from the mail's Date: 2022-12-05" });
  assert.ok(analysis.functions.length > 0 && analysis.functions.every((fn) => fn.profile === 'x86_64@6.1'));

  const uffd = analysis.findings.filter((f) => f.rule === 'uffd-wp-writable');
  assert.ok(uffd.some((f) => f.function === 'do_numa_page' && f.change === 'fixed'), 'do_numa_page: uffd-wp-writable fixed by the first NUMA hunk');
  const migration = uffd.filter((f) => f.function === 'remove_migration_pte' && decisionsOf(f.path).includes('pte_swp_uffd_wp(*pvmw.pte)'));
  assert.deepEqual(migration.map((f) => f.change), ['unchanged'], 'the migration hunk assigns `pt`: the uffd-wp path stays writable');
});

test('seed 004: fork of a private huge PUD write-protects parent and child without W=0/D=1 or lost dirt (x86)', async () => {
  const file = join(repoRoot(), 'test', 'fixtures', 'seeds', 'fork-huge-pud.c');
  const text = readFileSync(file, 'utf8');

  const x86 = await analyse(text, 'x86_64', file);
  assert.deepEqual(x86.findings, [], 'no shstk-lookalike, no dirty-lost, every @mm state holds');
  const fork = x86.functions.find((f) => f.name === 'fork_private_pud')!;
  const writable = fork.paths.find((p) => p.decisions.some((d) => d.text === 'pud_write(entry)' && d.taken))!;
  const installs = writable.events.filter((e) => e.kind === 'install');
  assert.deepEqual(
    installs.map((e) => [e.detail.split('(')[0], e.after?.bits['W'], e.after?.bits['D'], e.after?.bits['SD']]),
    [
      ['pudp_set_wrprotect', '0', '0', '1'],
      ['set_pud_at', '0', '0', '1'],
    ],
  );

  // Before 6.6 there is no SavedDirty: the write-protected PUDs keep D=1 and the states fail.
  const old = await analyse(text.replace('@mm profile x86_64 */', '@mm profile x86_64@6.1 */'), 'x86_64', file);
  assert.ok(old.findings.length >= 2 && old.findings.every((f) => f.rule === 'state-mismatch'));
});
