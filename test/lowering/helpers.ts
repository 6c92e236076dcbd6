// Shared by the lowering tests: parse-and-lower C text, find functions, print CFGs, check them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IrFunction, IrUnit } from '../../simulator/src/ir';
import { formatFunction, irStats, lowerText, successors, type LowerOptions } from '../../server/src/lowering';
import { repoRoot } from '../helpers/paths';
import { testParser } from '../helpers/parser';

export function loweringFixturePath(name: string): string {
  return join(repoRoot(), 'test', 'fixtures', 'lowering', name);
}

export function readLoweringFixture(name: string): string {
  return readFileSync(loweringFixturePath(name), 'utf8');
}

/** Parses and lowers `text`; the tree is released. */
export async function lower(text: string, options: LowerOptions = {}): Promise<IrUnit> {
  return lowerText(await testParser(), text, options);
}

/** Lowers a C snippet holding one function and returns it. */
export async function lowerOne(text: string, options: LowerOptions = {}): Promise<IrFunction> {
  const unit = await lower(text, options);
  assert.equal(unit.functions.length, 1, `expected one function in:\n${text}`);
  return unit.functions[0]!;
}

export function fn(unit: IrUnit, name: string): IrFunction {
  const found = unit.functions.find((f) => f.name === name);
  assert.ok(found, `no function ${name} (have ${unit.functions.map((f) => f.name).join(', ')})`);
  return found;
}

/** The CFG as text without the signature line: one line per statement and terminator. */
export function shape(f: IrFunction): string {
  return formatFunction(f).split('\n').slice(1).join('\n');
}

/** Lines for an expected shape, written one string per line. */
export function lines(...text: string[]): string {
  return text.join('\n');
}

export function opaqueCount(f: IrFunction | IrUnit): { statements: number; expressions: number } {
  const stats = irStats(f);
  return { statements: stats.opaqueStatements, expressions: stats.opaqueExpressions };
}

/** Structural checks every lowered function must pass. */
export function assertWellFormed(f: IrFunction): void {
  assert.ok(f.blocks.length > 0, `${f.name}: no blocks`);
  f.blocks.forEach((block, i) => assert.equal(block.id, i, `${f.name}: block ids are their indexes`));
  assert.ok(f.entry >= 0 && f.entry < f.blocks.length, `${f.name}: entry out of range`);
  for (const block of f.blocks) {
    for (const target of successors(block.terminator)) {
      assert.ok(target >= 0 && target < f.blocks.length, `${f.name}: b${block.id} jumps to missing b${target}`);
    }
  }
  const ordered = (a: { line: number; character: number }, b: { line: number; character: number }): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  assert.ok(ordered(f.range.start, f.range.end), `${f.name}: range ends before it starts`);
}
