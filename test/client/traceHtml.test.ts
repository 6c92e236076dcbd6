// The trace view's page: a strict Content-Security-Policy, and one row per step with the bits,
// changed bits marked and hazardous steps highlighted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEntry, TraceResult, TraceStep } from '../../server/src/protocol';
import { bitColumns, traceHtml, type WebviewAssets } from '../../client/src/traceView/html';

const assets: WebviewAssets = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Vub25jZQ==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/traceView.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/traceView.css',
};

const entry = (bits: Record<string, '0' | '1' | '?'>, form = 'present'): TraceEntry => ({ form, bits });
const at = (line: number) => ({ start: { line, character: 1 }, end: { line, character: 30 } });
const step = (fields: Partial<TraceStep> & Pick<TraceStep, 'kind' | 'detail'>): TraceStep => ({ range: at(10), source: fields.detail, changed: [], hazards: [], ...fields });

const trace: TraceResult = {
  uri: 'file:///k/mm/migrate.c',
  function: 'remove_migration_pte',
  side: 'source',
  profile: 'x86_64@6.1',
  path: 1,
  paths: [
    { index: 0, decisions: ['!(is_writable_migration_entry(entry))'], end: 'return', hazards: [] },
    { index: 1, decisions: ['is_writable_migration_entry(entry)', 'pte_swp_uffd_wp(old)'], end: 'return', hazards: ['uffd-wp-writable'] },
  ],
  steps: [
    step({ kind: 'read', detail: 'ptep_get(pvmw.pte)', range: at(11), after: entry({ W: '0', D: '1', SD: '0', UW: '?', A: '1' }) }),
    step({
      kind: 'call',
      detail: 'maybe_mkwrite(pte, vma)',
      source: 'pte = maybe_mkwrite(pte, vma);',
      range: at(14),
      before: entry({ W: '0', D: '1', SD: '0', UW: '?', A: '1' }),
      after: entry({ W: '1', D: '1', SD: '0', UW: '?', A: '1' }),
      changed: ['W'],
    }),
    step({
      kind: 'call',
      detail: 'pte_mkuffd_wp(pte)',
      range: at(16),
      before: entry({ W: '1', D: '1', SD: '0', UW: '?', A: '1' }),
      after: entry({ W: '1', D: '1', SD: '0', UW: '1', A: '1' }),
      changed: ['UW'],
    }),
    step({ kind: 'flush', detail: 'flush_tlb_range(vma, start, end)', range: at(18) }),
    step({
      kind: 'install',
      detail: 'set_pte_at(mm, addr, ptep, pte) <script>alert(1)</script>',
      range: at(20),
      before: entry({ W: '1', D: '1', SD: '0', UW: '1', A: '1' }),
      after: entry({ W: '1', D: '1', SD: '0', UW: '1', A: '1' }),
      hazards: ['uffd-wp-writable'],
    }),
  ],
  notes: ['analysis truncated after 256 paths'],
  text: 'path 2: …',
};

const html = traceHtml(trace, assets);
const rows = [...html.matchAll(/<tr class="([^"]*)"[^>]*data-index="(\d+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => ({ classes: m[1]!.split(' '), index: Number(m[2]), body: m[3]! }));

test('the Content-Security-Policy allows nothing remote and only scripts with the nonce', () => {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'CSP meta tag');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${assets.nonce}'`]);
  assert.deepEqual(directives.get('style-src'), [assets.cspSource]);
  const allowed = new Set(["'none'", `'nonce-${assets.nonce}'`, assets.cspSource]);
  for (const [name, sources] of directives) for (const source of sources) assert.ok(allowed.has(source), `${name} ${source}`);
});

test('every script carries the nonce and comes from the extension; no inline handlers or styles', () => {
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.ok(scripts.length > 0);
  for (const script of scripts) {
    assert.match(script, new RegExp(`nonce="${assets.nonce}"`));
    assert.match(script, new RegExp(`src="${assets.cspSource.replace(/[.+]/g, '\\$&')}/`));
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i);
  assert.doesNotMatch(html, /\sstyle=/i);
  for (const [, url] of html.matchAll(/(?:src|href)="([^"]*)"/g)) assert.ok(url === '#' || url!.startsWith(assets.cspSource), url);
});

test('one row per step, in order, with its line; events are rows of their own', () => {
  assert.deepEqual(rows.map((row) => row.index), [0, 1, 2, 3, 4]);
  assert.ok(rows.every((row) => row.classes.includes('step')));
  assert.deepEqual(rows.map((row) => (row.classes.includes('event') ? 'event' : 'state')), ['state', 'state', 'state', 'event', 'state']);
  assert.match(rows[1]!.body, /<td class="line">15<\/td>/);
  assert.match(rows[1]!.body, /pte = maybe_mkwrite\(pte, vma\);/);
  assert.match(rows[3]!.body, /flush_tlb_range/);
  assert.doesNotMatch(rows[3]!.body, /class="bit/);
});

test('changed bits are marked with before → after, and only those', () => {
  const changed = (body: string) => [...body.matchAll(/<td class="bit [^"]*\bchanged\b[^"]*" data-bit="([^"]+)" title="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(changed(rows[0]!.body), []);
  assert.deepEqual(changed(rows[1]!.body), ['W W: 0 → 1']);
  assert.deepEqual(changed(rows[2]!.body), ['UW UW: ? → 1']);
  assert.match(rows[2]!.body, /<td class="bit bit-1 changed" data-bit="UW"/);
  assert.match(rows[0]!.body, /<td class="bit bit-unknown" data-bit="UW"/);
});

test('the hazardous step is highlighted and links its rule; the others are not', () => {
  assert.deepEqual(rows.filter((row) => row.classes.includes('hazard')).map((row) => row.index), [4]);
  assert.match(rows[4]!.body, /<a class="rule" href="#" data-rule="uffd-wp-writable"[^>]*>uffd-wp-writable<\/a>/);
  assert.doesNotMatch(rows[3]!.body, /class="rule"/);
});

test('the path picker lists every path and selects the one shown', () => {
  const options = [...html.matchAll(/<option value="(\d+)"([^>]*)>([^<]*)<\/option>/g)];
  assert.deepEqual(options.map((m) => m[1]), ['0', '1']);
  assert.match(options[1]![2]!, /selected/);
  assert.doesNotMatch(options[0]![2]!, /selected/);
  assert.match(options[1]![3]!, /^2: is_writable_migration_entry\(entry\) → pte_swp_uffd_wp\(old\) \[return\] ⚠ uffd-wp-writable$/);
  assert.match(html, /<button id="copy-text"/);
  assert.match(html, /<ul id="notes"><li>analysis truncated after 256 paths<\/li><\/ul>/);
});

test('source text is escaped', () => {
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
});

test('bit columns: bits that change or differ along the path, and the write/dirty bits', () => {
  assert.deepEqual(bitColumns(trace.steps), ['W', 'D', 'UW']);
  assert.deepEqual(bitColumns([]), []);
});
