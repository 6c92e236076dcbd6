import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('inputs/ and text/ hand out plain data: no tree-sitter types in them', () => {
  const server = join(repoRoot(), 'server', 'src');
  const offenders = [...sources(join(server, 'inputs')), ...sources(join(server, 'text'))]
    .filter((file) => /from ['"]web-tree-sitter['"]|require\(['"]web-tree-sitter['"]\)/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(server, file));
  assert.deepEqual(offenders, []);
});
