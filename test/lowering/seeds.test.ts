// The seed threads (../shared/seeds): every source unit the inputs stage finds in them lowers,
// and every range lands on a line of the email.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SourceRange } from '../../simulator/src/ir';
import { readInputDocument } from '../../server/src/inputs';
import { irStats, lowerSourceUnit } from '../../server/src/lowering';
import { testParser, testSyntax } from '../helpers/parser';
import { seedsDirectory } from '../helpers/paths';
import { assertWellFormed } from './helpers';

const seeds = seedsDirectory();

test('the functions quoted in the seed threads lower, with positions on the thread lines', { skip: existsSync(seeds) ? false : `no seeds at ${seeds}` }, async () => {
  const parser = await testParser();
  const syntax = await testSyntax();
  const names = new Set<string>();
  for (const file of readdirSync(seeds).filter((f) => f.endsWith('.txt'))) {
    const text = readFileSync(join(seeds, file), 'utf8');
    const lineCount = text.split('\n').length;
    const inside = (range: SourceRange | undefined, what: string): void => {
      if (!range) return;
      assert.ok(range.start.line >= 0 && range.end.line < lineCount, `${file}: ${what} at ${JSON.stringify(range)} is outside the thread`);
    };
    for (const unit of readInputDocument(text, { syntax }).units) {
      const ir = lowerSourceUnit(parser, unit);
      assert.equal(irStats(ir).failedFunctions, 0, file);
      for (const f of ir.functions) {
        assertWellFormed(f);
        names.add(f.name);
        inside(f.range, f.name);
        for (const block of f.blocks) {
          for (const statement of block.statements) inside(statement.kind === 'assert-state' ? statement.annotation.range : statement.range, `${f.name} statement`);
          inside(block.terminator.range, `${f.name} terminator`);
        }
      }
    }
  }
  for (const name of ['remove_migration_pte', 'do_numa_page']) assert.ok(names.has(name), `${name} is among the lowered functions (${[...names].join(', ')})`);
});
