// The hover text of a helper's definition in a tree: the fields it changes as formulas of the
// entry, agreement with the built-in table, the laws it breaks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile } from '../../simulator/src';
import { definitionMarkdown } from '../../server/src/analysis/definitionMarkdown';
import { buildTreeModel } from '../../server/src/headers/deriveFromTree';
import { toyTree } from '../helpers/toyTree';

const profile = parseProfile('x86_64@6.19');
const model = buildTreeModel(toyTree(), profile);

test('a modifier: the fields it changes, as formulas of the entry it is given', () => {
  const text = definitionMarkdown(model, profile, 'pte_wrprotect')!;
  assert.match(text, /^\*\*pte_wrprotect\*\* as defined here \(`arch\/x86\/include\/asm\/pgtable\.h:\d+`\), evaluated bit by bit on `x86_64@6\.19`/);
  assert.match(text, /\| W \| `false` \|/);
  assert.match(text, /\| SD \| `.*p\.D.*` \|/);
  assert.match(text, /Agrees with the built-in table on every present entry\./);
});

test('a definition that breaks a law says which', () => {
  const text = definitionMarkdown(model, profile, 'pmd_modify')!;
  assert.match(text, /Breaks `modify-keeps-dirty` \(pmd_dirty\(x\) → pmd_dirty\(pmd_modify\(x, prot\)\) for any prot\)\./);
});

test('a predicate: its formula; something that is not a helper: nothing', () => {
  assert.match(definitionMarkdown(model, profile, 'pte_dirty')!, /On a present entry: `.*p\.D.*p\.SD.*`/);
  assert.equal(definitionMarkdown(model, profile, 'no_such_helper'), undefined);
});
