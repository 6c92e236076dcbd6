import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CParser, defaultWasmPaths, wasmPathsFromPackages, wasmPathsNextTo } from '../../server/src/parsing';
import { repoRoot } from '../helpers/paths';
import { testParser } from '../helpers/parser';

test('the wasm files are found in the installed packages', () => {
  const paths = wasmPathsFromPackages();
  assert.ok(paths.runtime.endsWith('web-tree-sitter.wasm') && existsSync(paths.runtime));
  assert.ok(paths.grammar.endsWith('tree-sitter-c.wasm') && existsSync(paths.grammar));
});

test('next to a bundle, the copies beside it are used; elsewhere the packages', () => {
  assert.deepEqual(wasmPathsNextTo('/opt/mmlens/dist'), {
    runtime: join('/opt/mmlens/dist', 'web-tree-sitter.wasm'),
    grammar: join('/opt/mmlens/dist', 'tree-sitter-c.wasm'),
  });
  // no copies in this directory, so the package files are the default
  assert.deepEqual(defaultWasmPaths(__dirname), wasmPathsFromPackages());
});

test('the runtime accepts the grammar ABI', async () => {
  const { abi } = await testParser();
  assert.equal(abi.grammar, 15);
  assert.ok(abi.runtimeMin <= abi.grammar && abi.grammar <= abi.runtimeMax, `ABI ${abi.grammar} outside ${abi.runtimeMin}–${abi.runtimeMax}`);
});

test('the grammar is the pinned tree-sitter-c, as PROVENANCE says', async () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies['tree-sitter-c'], '0.24.1');
  assert.equal(manifest.dependencies['web-tree-sitter'], '0.27.1');
  assert.equal((await testParser()).abi.grammarVersion, '0.24.1');
  const provenance = readFileSync(join(repoRoot(), 'grammars', 'PROVENANCE.md'), 'utf8');
  assert.match(provenance, /`tree-sitter-c` \| 0\.24\.1/);
  assert.match(provenance, /`web-tree-sitter` \| 0\.27\.1/);
});

test('a missing grammar file is a clear error naming the path', async () => {
  await testParser(); // the runtime is initialised from the package path
  const paths = { ...wasmPathsFromPackages(), grammar: '/nonexistent/tree-sitter-c.wasm' };
  await assert.rejects(CParser.load(paths), /cannot read the tree-sitter-c grammar wasm at \/nonexistent\/tree-sitter-c\.wasm/);
});

test('the runtime cannot be switched to another file once initialised', async () => {
  await testParser();
  const paths = { ...wasmPathsFromPackages(), runtime: '/elsewhere/web-tree-sitter.wasm' };
  await assert.rejects(CParser.load(paths), /already initialised/);
});
