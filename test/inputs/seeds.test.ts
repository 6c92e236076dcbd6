// The five real threads in ../shared/seeds as integration inputs. Line numbers below were
// checked by hand against the seed files (1-based, as an editor shows them).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { documentLine, originalPosition, readInputDocument, type Hunk, type InputDocument } from '../../server/src/inputs';
import { seedsDirectory } from '../helpers/paths';
import { testSyntax } from '../helpers/parser';

const seeds = seedsDirectory();
const skip = existsSync(seeds) ? false : `seeds not found at ${seeds} (they live in ../shared/seeds beside the repository)`;

async function readSeed(name: string): Promise<{ text: string; doc: InputDocument }> {
  const text = readFileSync(join(seeds, name), 'utf8');
  return { text, doc: readInputDocument(text, { syntax: await testSyntax() }) };
}

const kinds = (hunk: Hunk): string => hunk.lines.map((l) => (l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' ')).join('');
/** The 1-based seed line that image line `i` came from. */
const seedLine = (image: Hunk['preImage'], i: number): number => documentLine(image.positionMap, i)! + 1;

test('seed 000: the quoted can_change_pte_writable(), split by review comments, is one hunk', { skip }, async () => {
  const { text, doc } = await readSeed('000_5c113ee4dcdd7248.txt');
  assert.equal(doc.kind, 'quoted-patch');
  assert.equal(doc.hunks.length, 1);
  const [hunk] = doc.hunks;
  assert.deepEqual([hunk.quoteDepth, hunk.header, hunk.range.start.line + 1, hunk.range.end.line + 1, hunk.complete], [1, undefined, 22, 84, true]);
  assert.equal(kinds(hunk), '+'.repeat(42));
  assert.equal(hunk.interleavedLines.length, 21); // lines 40-51, 56-60, 75-78 are Nadav's
  assert.equal(hunk.preImage.lineCount, 0);
  // the post-image is the whole function; its lines point back to the quoted lines
  const post = hunk.postImage.text.split('\n');
  assert.equal(post[0], 'static inline bool can_change_pte_writable(struct vm_area_struct *vma,');
  assert.equal(seedLine(hunk.postImage, 0), 22);
  assert.equal(post[16], ' if (pte_write(pte) || pte_protnone(pte) || !pte_dirty(pte))');
  assert.equal(seedLine(hunk.postImage, 16), 38);
  assert.equal(seedLine(hunk.postImage, 18), 52); // after the first comment
  assert.equal(seedLine(hunk.postImage, 41), 84);
  const at = originalPosition(hunk.postImage.positionMap, { line: 16, character: 5 });
  assert.deepEqual(at, { source: 'document', position: { line: 37, character: 8 } });
  assert.equal(text.split('\n')[37].slice(8, 17), 'pte_write');
  // it parses as a function, kept at top level
  assert.equal(doc.units.length, 1);
  const [unit] = doc.units;
  assert.deepEqual([unit.kind, unit.side, unit.functionName, unit.wrapper], ['fragment', 'post', 'can_change_pte_writable', { name: 'top-level', syntaxIssues: 0 }]);
  assert.ok(doc.problems.some((p) => p.code === 'tabs-mangled'));
});

test('seed 001: three quoted diffs at two depths, context markers eaten by the archive', { skip }, async () => {
  const { doc } = await readSeed('001_0045886de2177f29.txt');
  assert.equal(doc.kind, 'quoted-patch');
  assert.deepEqual(
    doc.hunks.map((h) => [h.quoteDepth, h.path, h.header?.oldStart, h.functionName, h.range.start.line + 1, h.range.end.line + 1, h.complete, kinds(h)]),
    [
      [2, 'mm/migrate.c', 213, 'remove_migration_pte', 119, 130, true, '   -+ ++   '],
      [1, 'mm/memory.c', 4808, 'do_numa_page', 146, 154, true, '   ++   '],
      [1, 'mm/memory.c', 4808, 'do_numa_page', 164, 172, true, '   ++   '],
    ],
  );
  const [migrate, numa, numaElse] = doc.hunks;
  assert.equal(migrate.preImage.lineCount, 8);
  assert.equal(migrate.postImage.lineCount, 10);
  assert.equal(
    migrate.postImage.text,
    [
      'pte = pte_mkdirty(pte);',
      'if (is_writable_migration_entry(entry))',
      'pte = maybe_mkwrite(pte, vma);',
      ' else if (pte_swp_uffd_wp(*pvmw.pte)) {',
      'pte = pte_mkuffd_wp(pte);',
      ' pt = pte_wrprotect(pte);',
      ' }',
      'if (folio_test_anon(folio) && !is_readable_migration_entry(entry))',
      'rmap_flags |= RMAP_EXCLUSIVE;',
      '',
      '',
    ].join('\n'),
  );
  assert.equal(seedLine(migrate.preImage, 3), 123); // "> > - else if (pte_swp_uffd_wp(*pvmw.pte))"
  assert.equal(seedLine(migrate.postImage, 5), 126); // "> > + pt = pte_wrprotect(pte);"
  // the "p" of "pt" (image column 1) is column 6 of seed line 126, after "> > + "
  assert.deepEqual(originalPosition(migrate.postImage.positionMap, { line: 5, character: 1 }), { source: 'document', position: { line: 125, character: 6 } });
  assert.equal(seedLine(migrate.postImage, 9), 130); // the empty quoted line is the hunk's last context line
  assert.equal(seedLine(numa.postImage, 3), 150); // "> + if (pte_uffd_wp(pte))"
  assert.equal(seedLine(numaElse.postImage, 4), 169); // "> + pte = pte_wrprotect(pte);"
  assert.equal(seedLine(numaElse.preImage, 3), 170); // "> ptep_modify_prot_commit(...)"
  // each image parses cleanly in its wrapper
  assert.deepEqual(
    doc.units.map((u) => [u.side, u.path, u.functionName, u.wrapper?.syntaxIssues]),
    [
      ['pre', 'mm/migrate.c', 'remove_migration_pte', 0],
      ['post', 'mm/migrate.c', 'remove_migration_pte', 0],
      ['pre', 'mm/memory.c', 'do_numa_page', 0],
      ['post', 'mm/memory.c', 'do_numa_page', 0],
      ['pre', 'mm/memory.c', 'do_numa_page', 0],
      ['post', 'mm/memory.c', 'do_numa_page', 0],
    ],
  );
});

test('seeds 002, 003 and 004 quote no code: no hunks, and they say so', { skip }, async () => {
  for (const name of ['002_9b7485c0397b9297.txt', '003_03863455040f8547.txt', '004_f440919d22ad068c.txt']) {
    const { doc } = await readSeed(name);
    assert.deepEqual([doc.kind, doc.hunks.length, doc.units.length], ['text', 0, 0], name);
    assert.deepEqual(doc.problems.map((p) => p.code), ['nothing-to-analyse'], name);
  }
});
