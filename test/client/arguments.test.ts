// Command arguments and trace-view messages are checked before anything acts on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShowTraceArguments, ruleArgument } from '../../client/src/commands/arguments';
import { parseTraceViewMessage } from '../../client/src/traceView/messages';

test('showTrace takes the code lens arguments and refuses anything else', () => {
  const lens = { uri: 'file:///k/mm/mprotect.c', function: 'change_pte_range', side: 'source' };
  assert.deepEqual(parseShowTraceArguments(lens), lens);
  assert.deepEqual(parseShowTraceArguments({ ...lens, side: 'post', path: 3 }), { ...lens, side: 'post', path: 3 });
  for (const bad of [undefined, null, 'change_pte_range', {}, { ...lens, side: 'after' }, { ...lens, function: '' }, { ...lens, uri: 7 }, { ...lens, path: -1 }, { ...lens, path: 1.5 }]) {
    assert.equal(parseShowTraceArguments(bad), undefined, JSON.stringify(bad));
  }
});

test('openRule takes a rule id or { rule }, and nothing that is not a rule id', () => {
  assert.equal(ruleArgument('uffd-wp-writable'), 'uffd-wp-writable');
  assert.equal(ruleArgument({ rule: 'stale-tlb' }), 'stale-tlb');
  for (const bad of [undefined, '', 'Stale-TLB', '../../etc/passwd', 'stale-tlb?x=1', { rule: 3 }]) assert.equal(ruleArgument(bad), undefined, JSON.stringify(bad));
});

test('trace view messages: the four kinds, well-formed only', () => {
  assert.deepEqual(parseTraceViewMessage({ type: 'pickPath', path: 2 }), { type: 'pickPath', path: 2 });
  assert.deepEqual(parseTraceViewMessage({ type: 'reveal', step: 0 }), { type: 'reveal', step: 0 });
  assert.deepEqual(parseTraceViewMessage({ type: 'copyText' }), { type: 'copyText' });
  assert.deepEqual(parseTraceViewMessage({ type: 'openRule', rule: 'dirty-lost' }), { type: 'openRule', rule: 'dirty-lost' });
  for (const bad of [null, 'copyText', { type: 'pickPath' }, { type: 'pickPath', path: '2' }, { type: 'reveal', step: -1 }, { type: 'openRule', rule: 'javascript:alert(1)' }, { type: 'eval' }]) {
    assert.equal(parseTraceViewMessage(bad), undefined, JSON.stringify(bad));
  }
});
