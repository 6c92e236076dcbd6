// Scenario runs over real JSON-RPC: a run goes in slices, so a cancellation reaches it midway.
// Cancelling the trace view's request (the user's Run scenario) stops the exploration and changes
// nothing; an editor's routine cancel of one waiting request leaves the run to the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancellationTokenSource, CodeLensRequest, LSPErrorCodes, type ResponseError } from 'vscode-languageserver-protocol/node';
import { ScenarioTraceRequest, type ScenarioTraceResult } from '../../../server/src/protocol';
import { fixture, LspClient, serverForFile } from '../lspClient';

const long = fixture('test', 'fixtures', 'scenarios', 'long-exploration.mmscenario');
const race = fixture('examples', 'scenarios', 'uffd-wp-race.mmscenario');

const server = serverForFile();

const scenario = (client: LspClient, uri: string, token?: CancellationTokenSource): Promise<ScenarioTraceResult | null> =>
  client.connection.sendRequest(ScenarioTraceRequest, { textDocument: { uri } }, token?.token);

const cancelled = (error: ResponseError<unknown>) => error.code === LSPErrorCodes.RequestCancelled && /scenario run was cancelled; nothing changed/.test(error.message);

test('cancelling the Run scenario request stops a running exploration: RequestCancelled at once, the stop logged, no diagnostics from it', async () => {
  const client = await LspClient.start({ diagnostics: 'push' });
  try {
    client.open(long.uri, long.text, 'mmscenario');
    const source = new CancellationTokenSource();
    const request = scenario(client, long.uri, source);
    // the exploration takes tens of seconds: a second in, it is well under way
    await sleep(1000);
    const from = client.events.length;
    const at = Date.now();
    source.cancel();
    await assert.rejects(request, cancelled);
    assert.ok(Date.now() - at < 5000, `answered ${Date.now() - at} ms after the cancel`);
    const stopped = await client.waitFor('the stopped run in the log', (e) => (e.kind === 'log' && /scenario run of .*long-exploration\.mmscenario \(version 1\) was cancelled after \d+ ms/.test(e.message) ? e.message : undefined), from);
    // it was stopped while running (how far it got depends on the machine's load, not asserted)
    assert.ok(Number(/after (\d+) ms/.exec(stopped)![1]) > 0, stopped);
    assert.equal(client.events.some((e) => e.kind === 'publish' && e.params.uri === long.uri), false, 'a stopped run publishes nothing');
    // the server goes on answering: another scenario runs to its end
    client.open(race.uri, race.text, 'mmscenario');
    assert.equal((await scenario(client, race.uri))!.schedule!.property, 'stale-tlb');
  } finally {
    await client.stop();
  }
});

test('an editor cancelling one of the requests waiting for a run does not stop it for the others', async () => {
  server.client.open(race.uri, race.text, 'mmscenario');
  const source = new CancellationTokenSource();
  const lens = server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: race.uri } }, source.token);
  const view = scenario(server.client, race.uri);
  source.cancel();
  await assert.rejects(lens, (error: ResponseError<unknown>) => error.code === LSPErrorCodes.RequestCancelled);
  const result = (await view)!;
  assert.equal(result.holds, false);
  assert.match(result.explored!, /^explored \d+ states/);
});
