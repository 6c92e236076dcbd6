// npm run test:e2e: package the extension (.vsix, which builds dist/ too), install the
// editors (cached in .tools/), then run every compiled test/e2e/*.test.ts with node's
// test runner, one file at a time (each drives a real editor; the machine has 2 cores).
//
//   node scripts/run-e2e.mjs [--no-package] [substring …]
//     --no-package  reuse the .vsix and dist/ from a previous run (local iteration only)
//     substring     run only the test files whose path contains it (e.g. neovim)
import { existsSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const skipPackage = args.includes('--no-package');
const only = args.filter((arg) => !arg.startsWith('--'));
const started = Date.now();
const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;

function run(command, commandArgs, env = process.env) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`run-e2e: \`${[command, ...commandArgs].join(' ')}\` failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}) after ${seconds()}`);
    process.exit(1);
  }
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${manifest.name}-${manifest.version}.vsix`);
if (!skipPackage) {
  rmSync(vsix, { force: true });
  run('npm', ['run', 'package']);
  if (!existsSync(vsix)) {
    console.error(`run-e2e: ${relative(root, vsix)} is missing: \`npm run package\` must produce it`);
    process.exit(1);
  }
  console.log(`run-e2e: packaged ${relative(root, vsix)} (${seconds()})`);
}

run(process.execPath, [join(root, 'test', 'e2e', 'setup.mjs')]);
console.log(`run-e2e: editors ready (${seconds()})`);

const outputDir = join(root, 'test-output', 'e2e');
rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });

const testDir = join(root, 'out', 'test', 'e2e');
let files = existsSync(testDir) ? readdirSync(testDir).filter((name) => name.endsWith('.test.js')).map((name) => join(testDir, name)) : [];
if (only.length > 0) files = files.filter((file) => only.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error(`run-e2e: no test files under ${relative(root, testDir)}${only.length > 0 ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}
console.log(`run-e2e: running ${files.length} test files; screenshots go to ${relative(root, outputDir)}/ (${seconds()})`);
// Nothing is printed after the test runner: its summary stays the last lines of the log.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files.sort()], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MMLENS_VSIX: vsix },
});
process.exit(result.status ?? 1);
