// The mmlens command as a user runs it: real files, real exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'out', 'server', 'src', 'cli', 'main.js');
const fixture = (name: string) => join(repo, 'test', 'fixtures', 'rules', name);

function mmlens(args: string[], cwd = repo, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('findings: exit 1, one line per finding with the rule id, the path and the witness', () => {
  const { code, out } = mmlens(['check', fixture('uffd-wp-writable-6.1.c')]);
  assert.equal(code, 1);
  assert.match(out, /uffd-wp-writable-6\.1\.c:20:2: error: installs a writable entry with uffd-wp set.*\[uffd-wp-writable\]/);
  assert.match(out, /in demo_restore, path: .*is_writable_migration_entry\(entry\) → pte_swp_uffd_wp\(old\)/);
  assert.match(out, /when: .*entry: mig_w; old: swp_uw/);
  assert.match(out, /^1 finding in 1 file/m);
});

test('no findings: exit 0', () => {
  const { code, out } = mmlens(['check', fixture('uffd-wp-writable-6.19.c')]);
  assert.equal(code, 0, out);
  assert.match(out, /^0 findings in 1 file/m);
});

test('--verify: the fixture expectations are the oracle', () => {
  const { code, out } = mmlens(['check', '--verify', join(repo, 'test', 'fixtures', 'rules')]);
  assert.equal(code, 0, out);
  assert.match(out, /verify: all expectations met in \d+ files/);
});

test('--rules keeps only the named rules', () => {
  const { code, out } = mmlens(['check', '--rules', 'stale-tlb', fixture('uffd-wp-writable-6.1.c')]);
  assert.equal(code, 0, out);
});

test('findings come with their path as a table of bits, the offending step marked', () => {
  const { out } = mmlens(['check', fixture('uffd-wp-writable-6.1.c')]);
  assert.match(out, /line {2}event {4}step .* form {5}W {3}D /);
  assert.match(out, /maybe_mkwrite\(pte_mkdirty\(pte\), vma\) +present +1\* /);
  assert.match(out, /install {2}set_pte_at\(.*<-- uffd-wp-writable$/m);
});

test('--format json: one object with the documented field names', () => {
  const json = JSON.parse(mmlens(['check', '--format', 'json', fixture('stale-tlb.c')]).out);
  const packageVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
  assert.equal(json.tool, 'mmlens');
  assert.equal(json.version, packageVersion);
  assert.equal(json.profile, 'x86_64@6.19');
  const [finding] = json.findings;
  assert.deepEqual(Object.keys(finding).slice(0, 14), ['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'function', 'side', 'change', 'message', 'witness', 'trace', 'path']);
  assert.equal(finding.rule, 'stale-tlb');
  assert.equal(finding.severity, 'error');
  assert.equal(finding.line, 14);
  assert.equal(finding.side, null);
  assert.equal(finding.change, null);
  assert.ok(finding.trace.some((step: { kind: string }) => step.kind === 'unlock'));
  assert.deepEqual(Object.keys(json.summary), ['files', 'functions', 'paths', 'findings', 'fixed', 'truncated', 'notModelled']);
  assert.equal(json.summary.findings, json.findings.length);
  assert.equal(json.summary.fixed, 0);
  // the profile each file was analysed on, where it came from and why; the helpers' model and why
  assert.deepEqual(json.files, [{ file: fixture('stale-tlb.c'), profile: 'x86_64@6.19', profileSource: 'annotation', profileReason: 'from the @mm profile annotation on line 2', model: 'builtin', modelReason: 'the built-in tables: the code is not in a kernel tree' }]);
  assert.deepEqual(json.models, [{ kind: 'builtin', reason: 'the built-in tables: the code is not in a kernel tree' }]);
});

test('what a patch fixes: listed in JSON (change "fixed", side "before") and SARIF (baselineState "absent"), not counted', () => {
  const patch = join(repo, 'examples', 'keep-dirty-huge.patch');
  const json = JSON.parse(mmlens(['check', '--format', 'json', patch]).out);
  const fixed = json.findings.filter((f: { change: string }) => f.change === 'fixed');
  assert.deepEqual(
    fixed.map((f: { rule: string; side: string; line: number }) => [f.rule, f.side, f.line]),
    [['dirty-lost', 'before', 30]],
  );
  assert.equal(json.summary.fixed, 1);
  assert.equal(json.summary.findings, json.findings.length - 1, 'a fix is not a finding');

  const sarif = JSON.parse(mmlens(['check', '--format', 'sarif', patch]).out);
  const absent = sarif.runs[0].results.filter((r: { baselineState?: string }) => r.baselineState === 'absent');
  assert.equal(absent.length, 1);
  assert.equal(absent[0].ruleId, 'dirty-lost');
  assert.equal(absent[0].kind, 'pass', 'after the patch the rule passes there');
  assert.equal(absent[0].level, 'none');
  assert.equal(absent[0].properties.change, 'fixed');

  // introduced → new, unchanged → unchanged; a plain C file has no baseline
  const reply = JSON.parse(mmlens(['check', '--format', 'sarif', join(repo, 'examples', 'review-reply.eml')]).out);
  assert.deepEqual(reply.runs[0].results.map((r: { ruleId: string; baselineState: string; level: string }) => [r.ruleId, r.baselineState, r.level]), [['write-without-vm-write', 'new', 'error']]);
  const all = JSON.parse(mmlens(['check', '--all', '--format', 'sarif', join(repo, 'test', 'fixtures', 'lsp', 'restore.patch')]).out);
  assert.ok(all.runs[0].results.some((r: { baselineState: string }) => r.baselineState === 'unchanged'), 'with --all, what the patch leaves is "unchanged"');
  const plain = JSON.parse(mmlens(['check', '--format', 'sarif', fixture('stale-tlb.c')]).out);
  assert.ok(plain.runs[0].results.every((r: object) => !('baselineState' in r)));

  // text keeps it as a note
  assert.match(mmlens(['check', patch]).out, /keep-dirty-huge\.patch:30:3: note: fixed by the patch: .*\[dirty-lost\]/);
});

test('--verify on a file without @mm expect is an error, as with clang -verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-verify-'));
  writeFileSync(join(dir, 'plain.c'), 'static void f(struct vm_area_struct *vma, pte_t *ptep, pte_t pte)\n{\n\tset_pte_at(vma->vm_mm, 0, ptep, pte);\n}\n');
  const { code, out } = mmlens(['check', '--verify', join(dir, 'plain.c')]);
  assert.equal(code, 1, out);
  assert.match(out, /plain\.c: error: no @mm expect annotations .*@mm expect none/);
  assert.doesNotMatch(out, /all expectations met/);
  // `expect none` makes it a test, and a clean one passes
  writeFileSync(join(dir, 'clean.c'), '/* @mm expect none */\n\nstatic int g(void)\n{\n\treturn 0;\n}\n');
  const clean = mmlens(['check', '--verify', join(dir, 'clean.c')]);
  assert.equal(clean.code, 0, clean.out);
  assert.match(clean.out, /verify: all expectations met in 1 files/);
});

test('--format sarif: SARIF 2.1.0 with rule help and the path as a code flow', () => {
  const sarif = JSON.parse(mmlens(['check', '--format', 'sarif', fixture('stale-tlb.c')]).out);
  assert.equal(sarif.version, '2.1.0');
  const [result] = sarif.runs[0].results;
  assert.equal(result.ruleId, 'stale-tlb');
  assert.equal(result.locations[0].physicalLocation.region.startLine, 14);
  const steps = result.codeFlows[0].threadFlows[0].locations;
  assert.ok(steps.length >= 2);
  assert.match(steps.at(-1).location.message.text, /^unlock /);
  const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'stale-tlb');
  assert.match(rule.helpUri, /docs\/rules\/stale-tlb\.md$/);
  assert.match(rule.help.markdown, /stale-tlb/);
});

test('usage and input errors: exit 2 with a message', () => {
  const missing = mmlens(['check', '/no/such/file.c']);
  assert.equal(missing.code, 2);
  assert.match(missing.out + missing.err, /no such file or directory/);
  const badProfile = mmlens(['check', '--profile', 'sparc64', fixture('stale-tlb.c')]);
  assert.equal(badProfile.code, 2);
  assert.match(badProfile.err, /unknown architecture "sparc64"/);
  const badRule = mmlens(['check', '--rules', 'no-such-rule', fixture('stale-tlb.c')]);
  assert.equal(badRule.code, 2);
  assert.match(badRule.err, /unknown rule no-such-rule/);
  assert.equal(mmlens(['frobnicate']).code, 2);
  assert.equal(mmlens(['check', '--format', 'xml', fixture('stale-tlb.c')]).code, 2);
});

test('binary and empty files do not crash the check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-cli-'));
  writeFileSync(join(dir, 'junk.c'), Buffer.from([0, 1, 2, 255, 254, 0, 10, 13, 0]));
  writeFileSync(join(dir, 'empty.c'), '');
  writeFileSync(join(dir, 'broken.c'), 'static void f(pte_t *ptep) { if (x { set_pte_at(');
  const { code, out, err } = mmlens(['check', dir]);
  assert.ok(code === 0 || code === 1, `${code} ${err}`);
  assert.match(out, /in 3 files/);
});

test('--base reports only what the working tree change introduces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-git-'));
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  const fixed = readFileSync(fixture('uffd-wp-writable-6.1.c'), 'utf8').replace(/\t\/\* @mm expect [^*]*\*\//g, '');
  const safe = fixed.replace(/(\tif \(is_writable_migration_entry\(entry\)\)\n\t\tpte = maybe_mkwrite\(pte_mkdirty\(pte\), vma\);\n)\tif \(pte_swp_uffd_wp/, '$1\telse if (pte_swp_uffd_wp');
  writeFileSync(join(dir, 'restore.c'), safe);
  git('add', '.');
  git('commit', '-qm', 'base');
  const only = ['--rules', 'uffd-wp-writable', '--profile', 'x86_64@6.1'];
  assert.equal(mmlens(['check', '--base', 'HEAD', ...only], dir).code, 0, 'no change, nothing to report');
  writeFileSync(join(dir, 'restore.c'), fixed);
  const { code, out } = mmlens(['check', '--base', 'HEAD', ...only], dir);
  assert.equal(code, 1, out);
  assert.match(out, /\[uffd-wp-writable\] \(introduced by the patch\)/);
  assert.match(out, /in demo_restore,/, 'the hunk is placed in the function it changes');
  assert.equal(mmlens(['check', '--base', 'no-such-rev'], dir).code, 2);
});

test('simulate prints every path step by step; explain prints the rule page', () => {
  const sim = mmlens(['simulate', `${fixture('stale-tlb.c')}:demo_wp_late_flush`]);
  assert.equal(sim.code, 0, sim.err);
  assert.match(sim.out, /demo_wp_late_flush on x86_64@6\.19: 2 paths/);
  assert.match(sim.out, /^profile x86_64@6\.19 \(from the @mm profile annotation on line 2\)$/m);
  assert.match(sim.out, /install +ptep_set_wrprotect/);
  assert.match(sim.out, /hazards: stale-tlb/);
  const explain = mmlens(['explain', 'stale-tlb']);
  assert.equal(explain.code, 0);
  assert.match(explain.out, /^# stale-tlb/m);
  assert.equal(mmlens(['simulate', `${fixture('stale-tlb.c')}:nope`]).code, 2);
});

test('--jobs 2 analyses in worker threads and reports exactly what one thread does', () => {
  const dir = join(repo, 'test', 'fixtures', 'rules');
  const one = mmlens(['check', '--jobs', '1', '--format', 'json', dir]);
  // the workers share what they summarise through a directory of the run's own, gone after it
  const scratch = mkdtempSync(join(tmpdir(), 'mmlens-jobs-test-'));
  const two = mmlens(['check', '--jobs', '2', '--format', 'json', dir], repo, { ...process.env, TMPDIR: scratch });
  assert.equal(two.code, one.code, two.err);
  assert.ok(JSON.parse(one.out).summary.files >= 4, 'enough files for workers to start');
  assert.deepEqual(JSON.parse(two.out), JSON.parse(one.out));
  assert.deepEqual(readdirSync(scratch), []);
  rmSync(scratch, { recursive: true, force: true });
  const bad = mmlens(['check', '--jobs', 'many', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--jobs takes a number/);
});

test('the examples tour: a C file, a patch that fixes a hazard, a reply that catches one', () => {
  const example = (name: string) => join(repo, 'examples', name);
  const c = mmlens(['check', example('restore-uffd-wp.c')]);
  assert.equal(c.code, 1);
  assert.match(c.out, /restore-uffd-wp\.c:21:2: error: .*\[uffd-wp-writable\]/);

  const patch = mmlens(['check', example('keep-dirty-huge.patch')]);
  assert.equal(patch.code, 0, patch.out);
  assert.match(patch.out, /keep-dirty-huge\.patch:30:3: note: fixed by the patch: .*\[dirty-lost\]/);
  const onArm = mmlens(['check', '--profile', 'arm64', example('keep-dirty-huge.patch')]);
  assert.doesNotMatch(onArm.out, /fixed by the patch/, 'arm64 pmd_modify never lost the dirty bit');

  const reply = mmlens(['check', '--format', 'json', example('review-reply.eml')]);
  assert.equal(reply.code, 1);
  const findings = JSON.parse(reply.out).findings;
  assert.deepEqual(
    findings.map((f: { rule: string; line: number; change: string; side: string }) => [f.rule, f.line, f.change, f.side]),
    [['write-without-vm-write', 22, 'introduced', 'after']],
  );
});

test('a function defined in a file beside the checked one is applied by its summary at the call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-workspace-'));
  writeFileSync(join(dir, 'helpers.h'), 'static inline pte_t\nmake_writable(struct vm_area_struct *vma, pte_t pte)\n{\n\treturn pte_mkwrite(pte, vma);\n}\n');
  writeFileSync(join(dir, 'caller.c'), 'static void restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, pte_t pte)\n{\n\tpte = make_writable(vma, pte);\n\tset_pte_at(vma->vm_mm, addr, ptep, pte);\n}\n');
  const { code, out } = mmlens(['check', 'caller.c', '--rules', 'write-without-vm-write', '--format', 'json'], dir);
  assert.equal(code, 1, out);
  const [finding] = JSON.parse(out).findings;
  assert.equal(finding.line, 4);
  assert.ok(finding.trace.some((step: { detail: string; line: number }) => step.detail.startsWith('make_writable(') && step.line === 3), out);
});
