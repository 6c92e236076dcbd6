// Scenario documents over real JSON-RPC: the "Run scenario" code lens with the verdict,
// diagnostics on the violating step (pulled or pushed), and mmlens/scenario for the trace view —
// the steps of a sequential run, the schedule of an interleaving as columns per CPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, DiagnosticSeverity, type CodeLens } from 'vscode-languageserver-protocol/node';
import { COMMANDS, ScenarioTraceRequest, type RunScenarioArguments, type ScenarioTraceResult } from '../../../server/src/protocol';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';
import { fileUri, find, fixture, LspClient, serverForFile } from '../lspClient';

const seed002 = fixture('examples', 'scenarios', 'uffd-wp-softdirty.mmscenario');
const old = fixture('examples', 'scenarios', 'uffd-wp-range-old.mmscenario');
const source = fixture('examples', 'scenarios', 'uffd-wp-range.c');
const race = fixture('examples', 'scenarios', 'uffd-wp-race.mmscenario');

const server = serverForFile({ relatedInformation: true });

const lenses = (uri: string): Promise<CodeLens[] | null> => server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
const scenario = (uri: string): Promise<ScenarioTraceResult | null> => server.client.connection.sendRequest(ScenarioTraceRequest, { textDocument: { uri } });

test('a scenario gets one lens on its first line: Run scenario, with the verdict', async () => {
  server.client.open(seed002.uri, seed002.text, 'mmscenario');
  const [lens, ...others] = (await lenses(seed002.uri))!;
  assert.equal(others.length, 0);
  assert.equal(lens!.command!.title, '▶ Run scenario · violated at step 5 (line 15): softdirty-bypass');
  assert.equal(lens!.command!.command, COMMANDS.runScenario);
  const args: RunScenarioArguments = { uri: seed002.uri };
  assert.deepEqual(lens!.command!.arguments, [args]);
});

test('diagnostics: the broken property on the violating step, its cause as related information, the state rule on the step that caused it', async () => {
  const diagnostics = await server.client.pull(seed002.uri);
  const step5 = find(seed002.text, 'write                     # 5)');
  const step4 = find(seed002.text, 'uffd unregister');
  const violation = diagnostics.find((d) => d.severity === DiagnosticSeverity.Error)!;
  assert.equal(violation.code, 'softdirty-bypass');
  assert.deepEqual(violation.range, { start: step5, end: { line: step5.line, character: step5.character + 'write'.length } });
  assert.match(violation.message as string, /^step 5 \(write\): the write is not recorded/);
  assert.deepEqual(violation.relatedInformation?.map((r) => r.location.range.start), [step4]);
  const cause = diagnostics.find((d) => d.severity === DiagnosticSeverity.Warning)!;
  assert.deepEqual([cause.code, cause.range.start], ['softdirty-bypass', step4]);
});

test('an edit that breaks the scenario: the problem at its line, and the lens says so', async () => {
  const uri = 'untitled:broken.mmscenario';
  server.client.open(uri, 'vma shmem read write\nsteps\n  write\n  unmap\n', 'mmscenario');
  const [problem] = await server.client.pull(uri);
  assert.equal(problem!.range.start.line, 3);
  assert.match(problem!.message as string, /unknown operation "unmap"/);
  assert.equal((await lenses(uri))![0]!.command!.title, '▶ Run scenario · 1 problem');
  server.client.change(uri, [{ text: 'vma shmem read write\nsteps\n  write\n' }]);
  assert.deepEqual(await server.client.pull(uri), []);
  assert.equal((await lenses(uri))![0]!.command!.title, '▶ Run scenario · holds');
});

test('mmlens/scenario: the steps with the entry after each, for the trace view; null for a C document', async () => {
  const result = (await scenario(seed002.uri))!;
  assert.equal(result.profile, 'x86_64@6.1');
  assert.equal(result.holds, false);
  assert.deepEqual(result.steps.map((s) => [s.index, s.line, s.text]), [
    [1, 10, 'write'],
    [2, 11, 'clear_refs soft-dirty'],
    [3, 12, 'uffd register wp'],
    [4, 13, 'uffd unregister'],
    [5, 14, 'write'],
  ]);
  assert.deepEqual([result.steps[3]!.after.bits['W'], result.steps[3]!.after.bits['SFD'], result.steps[3]!.changed], ['1', '0', ['W']]);
  assert.deepEqual(result.steps[4]!.violations, ['softdirty-bypass']);
  assert.match(result.text, /violated at step 5 \(line 15\): softdirty-bypass/);
  server.client.open(source.uri, source.text);
  assert.equal(await scenario(source.uri), null);
});

test('a call step reads its source from the editor: an edit there changes the run', async () => {
  server.client.open(old.uri, old.text, 'mmscenario');
  assert.equal((await scenario(old.uri))!.holds, false);
  // give write back only where can_change_pte_writable() allows: the old function behaves like the new one
  const fixed = source.text.replace('newprot = vm_get_page_prot(vma->vm_flags);', 'newprot = vma->vm_page_prot;');
  server.client.change(source.uri, [{ text: fixed }]);
  assert.equal((await scenario(old.uri))!.holds, true);
  server.client.change(source.uri, [{ text: source.text }]);
  assert.equal((await scenario(old.uri))!.holds, false);
});

test('a call resolves in the kernel tree the scenario sits in (across its files), and an edit to an open file of the tree changes the run', async () => {
  const inTree = fixture('test', 'fixtures', 'scenario-tree', 'scenarios', 'unprotect.mmscenario');
  const called = fixture('test', 'fixtures', 'scenario-tree', 'mm', 'toy_userfault.c');
  server.client.open(inTree.uri, inTree.text, 'mmscenario');
  const result = (await scenario(inTree.uri))!;
  assert.deepEqual(result.problems, []);
  assert.equal(result.holds, false);
  assert.deepEqual(result.steps[4]!.violations, ['softdirty-bypass']);
  assert.match(result.steps[3]!.messages.join('\n'), /mm\/toy_protect\.c:\d+: installs a writable entry/);
  // the unsaved text of the tree's file is what the call runs
  server.client.open(called.uri, called.text);
  server.client.change(called.uri, [{ text: called.text.replace('toy_apply_prot(vma, addr, ptep, toy_resolve_prot(vma));', 'toy_apply_prot(vma, addr, ptep, vma->vm_page_prot);') }]);
  assert.equal((await scenario(inTree.uri))!.holds, true);
  server.client.change(called.uri, [{ text: called.text }]);
  assert.equal((await scenario(inTree.uri))!.holds, false);
});

test('mmlens.tree names the kernel tree for a scenario outside it; without it the call is a problem at its line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-scenario-'));
  const path = join(dir, 'unprotect.mmscenario');
  const text = readFileSync(fixture('test', 'fixtures', 'scenario-tree', 'scenarios', 'unprotect.mmscenario').path, 'utf8');
  writeFileSync(path, text);
  const uri = fileUri(path);
  server.client.open(uri, text, 'mmscenario');
  const [problem] = (await scenario(uri))!.problems;
  assert.equal(problem!.line, 12);
  assert.match(problem!.message, /no function toy_uffd_unprotect in the source file/);
  const client = await LspClient.start({ settings: { tree: join(repoRoot(), 'test', 'fixtures', 'scenario-tree') } });
  try {
    client.open(uri, text, 'mmscenario');
    const result = (await client.connection.sendRequest(ScenarioTraceRequest, { textDocument: { uri } }))!;
    assert.deepEqual(result.problems, []);
    assert.match(result.verdict, /violated at step 5 \(line 14\): softdirty-bypass/);
  } finally {
    await client.stop();
  }
});

test('an interleaving violation: the schedule with a column per CPU, and the diagnostic on the operation that broke it', async () => {
  server.client.open(race.uri, race.text, 'mmscenario');
  const result = (await scenario(race.uri))!;
  assert.deepEqual(result.schedule!.cpus, ['cpu0', 'cpu1', 'cpu2']);
  assert.equal(result.schedule!.property, 'stale-tlb');
  assert.ok(result.schedule!.rows.length > 3);
  assert.deepEqual(Object.keys(result.schedule!.rows[0]!.tlbs).sort(), ['cpu0', 'cpu1', 'cpu2']);
  assert.match(result.explored!, /^explored \d+ states, \d+ schedules/);
  const error = (await server.client.pull(race.uri)).find((d) => d.severity === DiagnosticSeverity.Error)!;
  assert.equal(error.code, 'stale-tlb');
  assert.equal(error.range.start.line, result.schedule!.rows[result.schedule!.rows.length - 1]!.line);
});

test('pushed diagnostics for a client without pull diagnostics', async () => {
  const client = await LspClient.start({ diagnostics: 'push' });
  try {
    client.open(seed002.uri, seed002.text, 'mmscenario');
    const diagnostics = await client.published(seed002.uri);
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['softdirty-bypass', 'softdirty-bypass']);
  } finally {
    await client.stop();
  }
});
