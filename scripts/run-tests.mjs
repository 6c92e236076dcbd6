// Runs every compiled test file under out/test with node's test runner.
// Fails when no test file is found, so a broken glob can never pass silently.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const testRoot = join(root, 'out', 'test');
const only = process.argv.slice(2); // optional substrings to filter test files

function collect(dir) {
  let files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === 'e2e') continue;
      files = files.concat(collect(path));
    } else if (name.endsWith('.test.js')) {
      files.push(path);
    }
  }
  return files;
}

let files;
try {
  files = collect(testRoot);
} catch {
  files = [];
}
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error(`run-tests: no test files found under ${relative(process.cwd(), testRoot) || testRoot}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
