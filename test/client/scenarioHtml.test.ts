// The trace view's page for a scenario: the steps with the entry after each and the broken
// property marked; a violating schedule with a column per CPU, the entry and every TLB; rows
// point back at the scenario's lines; the same strict Content-Security-Policy as a trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioTraceResult } from '../../server/src/protocol';
import { scenarioHtml, scenarioRowLines } from '../../client/src/traceView/scenarioHtml';
import type { WebviewAssets } from '../../client/src/traceView/html';

const assets: WebviewAssets = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Vub25jZQ==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/traceView.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/traceView.css',
};

const sequential: ScenarioTraceResult = {
  uri: 'file:///s/seed.mmscenario',
  name: 'seed 002 <shmem>',
  profile: 'x86_64@6.1',
  holds: false,
  verdict: 'violated at step 2 (line 9): softdirty-bypass',
  problems: [],
  initial: { form: 'none', bits: {} },
  steps: [
    { index: 1, line: 7, text: 'uffd unregister', path: ['uffd_wp_range(false): write given back'], sources: ['mm/userfaultfd.c'], after: { form: 'present', bits: { W: '1', D: '1', SFD: '0', UW: '0', A: '1', U: '1' } }, changed: ['W'], violations: [], hazards: ['softdirty-bypass'], messages: ['softdirty-bypass: installs a writable entry'] },
    { index: 2, line: 8, text: 'write', path: ['the MMU writes'], sources: ['hardware'], after: { form: 'present', bits: { W: '1', D: '1', SFD: '0', UW: '0', A: '1', U: '1' } }, changed: [], violations: ['softdirty-bypass'], hazards: [], messages: ['softdirty-bypass: the write is not recorded'] },
  ],
  notes: [],
  text: 'the CLI text',
};

test('a sequential run: the start, one row per step, changed bits marked, the violating step highlighted with its rule', () => {
  const html = scenarioHtml(sequential, assets);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net; script-src 'nonce-bm9uY2Vub25jZQ=='">/);
  assert.match(html, /seed 002 &#60;shmem&#62;/, 'names are escaped');
  assert.match(html, /<span id="scenario-verdict" class="violated">violated at step 2 \(line 9\): softdirty-bypass<\/span>/);
  const rows = html.match(/<tr class="step[^"]*"[^>]*>/g)!;
  assert.deepEqual(rows, ['<tr class="step state hazard" data-index="0" data-line="8" tabindex="0">', '<tr class="step state violation hazard" data-index="1" data-line="9" tabindex="0">']);
  assert.match(html, /<td class="bit bit-1 changed" data-bit="W" title="W=1">1<\/td>/);
  const header = /<thead>(.*?)<\/thead>/.exec(html)![1]!;
  assert.deepEqual([...header.matchAll(/class="bit-name">(\w+)</g)].map((m) => m[1]), ['W', 'D', 'SFD', 'UW'], 'W, D, soft-dirty and uffd-wp always; bits that never change are left out');
  assert.match(html, /<a class="rule" href="#" data-rule="softdirty-bypass"/);
  assert.deepEqual(scenarioRowLines(sequential), [7, 8]);
});

test('an interleaving: a column per CPU with the step each took, the entry and each CPU\'s TLB, the violating row last', () => {
  const race: ScenarioTraceResult = {
    ...sequential,
    steps: [],
    verdict: 'violated by a schedule: stale-tlb (cpu2, line 18)',
    schedule: {
      cpus: ['cpu0', 'cpu1'],
      rows: [
        { cpu: '', action: '', entry: 'P0 present W=1', tlbs: { cpu0: '-', cpu1: '-' }, flushPending: 0, locks: '-' },
        { cpu: 'cpu1', action: 'TLB miss, walk', entry: 'P0 present W=1', tlbs: { cpu0: '-', cpu1: 'P0 rw dirty' }, flushPending: 0, locks: '-', line: 12 },
        { cpu: 'cpu0', action: 'PTL: wrprotect; flush deferred', entry: 'P0 present W=0', tlbs: { cpu0: '-', cpu1: 'P0 rw dirty' }, flushPending: 1, locks: 'mmap:r(cpu0)', line: 10 },
      ],
      property: 'stale-tlb',
      message: 'P0 is copied while cpu1 still holds a writable TLB entry',
    },
    explored: 'explored 750 states, 153975 schedules, 1190 transitions',
  };
  const html = scenarioHtml(race, assets);
  const header = /<table id="schedule">\s*<thead>(.*?)<\/thead>/.exec(html)![1]!;
  assert.deepEqual([...header.matchAll(/<th class="(\w+)"[^>]*>([^<]*)</g)].map((m) => m[2]), ['#', 'cpu0', 'cpu1', 'entry', 'TLB cpu0', 'TLB cpu1', 'flush pending', 'locks']);
  const rows = html.match(/<tr class="step[^"]*"[^>]*>.*?<\/tr>/g)!;
  assert.equal(rows.length, 3);
  assert.match(rows[2]!, /^<tr class="step violating hazard" data-index="2" data-line="11"/);
  assert.match(rows[2]!, /<td class="action active" data-cpu="cpu0">PTL: wrprotect; flush deferred<\/td><td class="action" data-cpu="cpu1"><\/td>/);
  assert.match(rows[2]!, /<td class="tlb" data-cpu="cpu1">P0 rw dirty<\/td>/);
  // long kernel words may wrap, so the columns fit a narrow view
  assert.match(rows[2]!, /<td class="locks">mmap:<wbr>r<wbr>\(cpu0\)<\/td>/);
  assert.match(scenarioHtml({ ...race, schedule: { ...race.schedule!, rows: [{ ...race.schedule!.rows[1]!, action: 'inc_tlb_flush_pending(mm)' }] } }, assets), /inc_<wbr>tlb_<wbr>flush_<wbr>pending<wbr>\(mm\)/);
  assert.match(html, /<p id="explored">explored 750 states/);
  assert.deepEqual(scenarioRowLines(race), [undefined, 12, 10]);
});

test('a scenario with problems shows them instead of a run', () => {
  const html = scenarioHtml({ ...sequential, steps: [], problems: [{ line: 3, message: 'unknown operation "unmap"' }] }, assets);
  assert.match(html, /<ul id="problems"><li>line 4: unknown operation &#34;unmap&#34;<\/li><\/ul>/);
  assert.doesNotMatch(html, /id="steps"/);
});
