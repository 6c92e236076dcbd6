// VS Code (code-server, in Debian's Chromium) with the packaged .vsix installed, used as a
// reader of kernel code, patches and scenarios would: one workbench for all scenarios, each scenario
// waits on the DOM (never a fixed sleep) and saves a screenshot under test-output/e2e/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { showsTransition } from './lib/bitTable';
import { clipboardWrites, launchBrowser, VIEWPORT, type BrowserSession } from './lib/browser';
import { startCodeServer, type CodeServer } from './lib/codeServer';
import { expectedFindings, linesContaining, positionOf, type ExpectedFinding } from './lib/expectations';
import { examplesDir, fixturesDir, outputDir, root, screenshotPath } from './lib/paths';
import { poll } from './lib/poll';
import { codeServerTools, requireFile } from './lib/tools';
import { TraceView } from './lib/traceView';
import { formatMarker, TIMEOUT, Workbench, workbenchUrl, type Marker } from './lib/workbench';
import { makeWorkspace, type Workspace } from './lib/workspace';

const RESTORE = 'restore-uffd-wp.c';
const PROTECT = 'protect-huge.c';
const PATCH = 'keep-dirty-huge.patch';
const EMAIL = 'review-reply.eml';
const MALFORMED = 'malformed.c';
const SEED_002 = 'uffd-wp-softdirty.mmscenario';
const SEED_003 = 'uffd-wp-race.mmscenario';
const scenariosDir = join(examplesDir, 'scenarios');
/** The files of a folder (not its subfolders), by path. */
const filesIn = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(dir, entry.name));

function defaultVsix(): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(root, `${manifest.name}-${manifest.version}.vsix`);
}

const asKeys = (findings: readonly ExpectedFinding[]): string[] => findings.map((f) => `${f.line}: ${f.rule}`).sort();
const markerKeys = (markers: readonly Marker[]): string[] => markers.filter((m) => m.source === 'mmlens').map((m) => `${m.line}: ${m.code}`).sort();
const sameKeys = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((key, i) => key === b[i]);

describe('VS Code (code-server) with the packaged extension', { timeout: 12 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  let workspace: Workspace | undefined;
  let wb: Workbench;

  before(async () => {
    const vsix = requireFile(process.env['MMLENS_VSIX'] ?? defaultVsix(), 'run `npm run package` (npm run test:e2e does)');
    mkdirSync(outputDir, { recursive: true });
    const tools = await codeServerTools();
    workspace = makeWorkspace([...filesIn(examplesDir), ...filesIn(scenariosDir), join(fixturesDir, MALFORMED)]);
    server = await startCodeServer({ tools, vsix });
    browser = await launchBrowser();
    wb = new Workbench(browser.page);
    await wb.load(workbenchUrl(server, workspace.dir, workspace.file(RESTORE)), RESTORE);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  /** Runs a scenario; a failing one leaves a screenshot of the state it failed in. */
  async function scenario(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      await wb?.screenshot(screenshotPath(`${name}-failed`)).catch(() => undefined);
      const log = server ? `\ncode-server output (tail):\n${server.process.output().slice(-1500)}` : '';
      if (error instanceof Error) error.message += log;
      throw error;
    }
  }

  it('1. an example C file: the Problems panel lists its findings by rule id, squiggles on their lines', () =>
    scenario('1-diagnostics', async () => {
      const file = workspace!.file(RESTORE);
      const expected = asKeys(expectedFindings(file));
      assert.ok(expected.length > 0, 'the example states its findings with @mm expect');
      const markers = await wb.waitForProblems(RESTORE, `the findings ${expected.join(', ')}`, (found) => sameKeys(markerKeys(found), expected));
      for (const marker of markers) assert.equal(marker.source, 'mmlens', formatMarker(marker));
      const lines = [...new Set(expectedFindings(file).map((f) => f.line))];
      for (const line of lines) await wb.waitForSquiggle(line, lines);
      await wb.screenshot(screenshotPath('1-diagnostics'));
    }));

  it('2. hover on a helper call: the bit table shows W going 0 → 1 at maybe_mkwrite', () =>
    scenario('2-hover', async () => {
      const at = positionOf(workspace!.file(RESTORE), 'maybe_mkwrite(pte_mkdirty', 3);
      const text = await wb.hoverAt(at.line, at.visualColumn, (hover) => /maybe_mkwrite/.test(hover) && showsTransition(hover, 'W', '0', '1'));
      assert.ok(showsTransition(text, 'W', '0', '1'), text);
      await wb.screenshot(screenshotPath('2-hover'));
      await wb.page.keyboard.press('Escape');
    }));

  it('3. the code lens opens the trace view: hazardous step highlighted, "Copy as text" yields the table', () =>
    scenario('3-trace-view', async () => {
      const file = workspace!.file(RESTORE);
      const functionLine = linesContaining(file, 'restore_one(')[0]!;
      const hazardLine = expectedFindings(file).find((f) => f.rule === 'uffd-wp-writable')!.line;
      const lens = await poll(`a "Simulate" code lens above line ${functionLine}`, async () => {
        return (await wb.codeLenses()).find((l) => l.line === functionLine && /Simulate \d+ paths?/.test(l.text));
      }, TIMEOUT.analysis, 250);
      assert.match(lens.text, /1 hazard/);

      await wb.page.locator('.codelens-decoration a', { hasText: 'Simulate' }).first().click();
      const trace = new TraceView(wb.page);
      await trace.waitForSteps();
      assert.match(await trace.title(), /restore_one/);
      const rows = await trace.rows();
      const hazardous = rows.filter((row) => row.hazard);
      assert.deepEqual(hazardous.map((row) => [row.line, row.rules]), [[hazardLine, ['uffd-wp-writable']]], JSON.stringify(rows, null, 1));
      const mkwrite = rows.find((row) => row.detail.startsWith('maybe_mkwrite'));
      assert.ok(mkwrite?.changed.some((title) => /^W: 0 → 1$/.test(title)), `maybe_mkwrite's W cell is marked changed 0 → 1: ${JSON.stringify(mkwrite)}`);
      const paths = await trace.paths();
      assert.match(paths.selected, /uffd-wp-writable/, `the path shown is the hazardous one: ${paths.selected}`);
      await trace.frame.locator('#steps tr.step.hazard').scrollIntoViewIfNeeded();
      await wb.screenshot(screenshotPath('3-trace-view'));

      // "Copy as text": the same table the CLI prints for this path.
      const pathNumber = Number(paths.selected.match(/^(\d+):/)?.[1]);
      const cli = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'simulate', `${file}:restore_one`, '--path', String(pathNumber)], { encoding: 'utf8' });
      const tableLines = cli.stdout.split('\n').filter((line) => /^\s+\d+\s/.test(line)).map((line) => line.trim());
      assert.ok(tableLines.length >= 3, `mmlens simulate --path ${pathNumber} printed a table (exit ${cli.status}):\n${cli.stdout}${cli.stderr}`);
      await trace.copyAsText();
      const copied = await poll('a clipboard write with the trace table', async () => {
        return (await clipboardWrites(wb.page)).find((text) => text.includes('uffd-wp-writable'));
      }, TIMEOUT.ui);
      for (const line of tableLines) assert.ok(copied.split('\n').some((l) => l.trim() === line), `copied text has "${line}":\n${copied}`);
      await wb.closeTab('mmlens: restore_one');
    }));

  it('4a. a patch: the hunk hover shows what it does before → after (dirty-lost fixed)', () =>
    scenario('4a-patch', async () => {
      // examples/keep-dirty-huge.patch fixes the dirty-lost at set_pmd_at (pmd_modify's own stays).
      await wb.openFile(PATCH);
      const patch = workspace!.file(PATCH);
      const fixedLine = linesContaining(patch, 'set_pmd_at(')[0]!;
      await wb.waitForProblems(PATCH, `dirty-lost, fixed on line ${fixedLine}`, (found) => found.some((m) => m.code === 'dirty-lost' && m.line === fixedLine));
      const hunk = positionOf(patch, '@@ -');
      const hover = await wb.hoverAt(hunk.line, hunk.visualColumn + 1, (text) => /before/i.test(text) && /after/i.test(text) && /dirty-lost/.test(text));
      assert.match(hover, /^\W*(fixed|removed)\b[^\n]*dirty-lost/im, `the hunk hover lists dirty-lost as fixed:\n${hover}`);
      await wb.screenshot(screenshotPath('4a-patch-hover'));
      await wb.page.keyboard.press('Escape');
    }));

  it('4b. an email quoting a patch: the diagnostics sit on the email\'s quoted lines', () =>
    scenario('4b-email', async () => {
      // examples/review-reply.eml quotes a hunk that replaces maybe_mkwrite with pte_mkwrite.
      await wb.openFile(EMAIL);
      const email = workspace!.file(EMAIL);
      const quotedInstall = linesContaining(email, 'set_pte_at(')[0]!;
      const markers = await wb.waitForProblems(EMAIL, `write-without-vm-write on the email's line ${quotedInstall}`, (found) =>
        found.some((m) => m.code === 'write-without-vm-write' && m.line === quotedInstall),
      );
      const emailLines = readFileSync(email, 'utf8').split('\n');
      for (const marker of markers) assert.ok(emailLines[marker.line - 1]?.startsWith('>'), `a marker sits on a quoted line of the email: ${formatMarker(marker)}`);
      await wb.waitForSquiggle(quotedInstall, markers.map((m) => m.line));
      await wb.screenshot(screenshotPath('4b-email-diagnostics'));
    }));

  it('5. switching the profile from the status item: dirty-lost on x86_64, not on arm64', () =>
    scenario('5-profile', async () => {
      await wb.openFile(PROTECT);
      const expected = asKeys(expectedFindings(workspace!.file(PROTECT)));
      const isDirtyLost = (m: Marker): boolean => m.code === 'dirty-lost';
      await wb.waitForProblems(PROTECT, `x86_64: ${expected.join(', ')}`, (found) => sameKeys(markerKeys(found.filter(isDirtyLost)), expected));

      await pickProfileFromStatus(wb, 'arm64');
      await wb.waitForProblems(PROTECT, 'arm64: no dirty-lost', (found) => !found.some(isDirtyLost));
      await poll('the language status to show arm64', async () => ((await languageStatusText(wb)).includes('arm64') ? true : undefined), TIMEOUT.ui);
      await openLanguageStatus(wb);
      await wb.screenshot(screenshotPath('5-profile-arm64'));
      await wb.page.keyboard.press('Escape');

      await pickProfileFromStatus(wb, 'x86_64');
      await wb.waitForProblems(PROTECT, `back on x86_64: ${expected.join(', ')}`, (found) => sameKeys(markerKeys(found.filter(isDirtyLost)), expected));
    }));

  it('6. a malformed file: an informative message, no crash, other documents unaffected', () =>
    scenario('6-malformed', async () => {
      await wb.openFile(MALFORMED);
      const markers = await wb.waitForProblems(MALFORMED, 'the annotation errors', (found) => found.some((m) => /VM_NOT_A_FLAG/.test(m.message)));
      assert.ok(markers.some((m) => /2\.4/.test(m.message)), `the unsupported kernel version is reported: ${markers.map(formatMarker).join('\n')}`);
      await wb.screenshot(screenshotPath('6-malformed'));

      const crashed = (await wb.notifications()).filter((text) => /crash|stopped|closed|not running|couldn't start|failed/i.test(text));
      assert.deepEqual(crashed, [], 'no notification says the server crashed or stopped');
      assert.doesNotMatch(await languageStatusText(wb), /server stopped/);

      // The other document still has its findings and still answers a hover.
      await wb.openFile(RESTORE);
      const expected = asKeys(expectedFindings(workspace!.file(RESTORE)));
      await wb.waitForProblems(RESTORE, 'the first file\'s findings, unchanged', (found) => sameKeys(markerKeys(found), expected));
      const at = positionOf(workspace!.file(RESTORE), 'maybe_mkwrite(pte_mkdirty', 3);
      await wb.hoverAt(at.line, at.visualColumn, (hover) => showsTransition(hover, 'W', '0', '1'), TIMEOUT.ui);
      await wb.page.keyboard.press('Escape');
    }));

  it('7. a scenario (seed 002): the broken property on the violating step in the Problems panel, the steps in the trace view', () =>
    scenario('7-scenario-steps', async () => {
      await wb.openFile(SEED_002);
      const file = workspace!.file(SEED_002);
      const step5 = linesContaining(file, '# 5)')[0]!;
      const step4 = linesContaining(file, '# 4)')[0]!;
      await wb.waitForProblems(SEED_002, `softdirty-bypass on step 5 (line ${step5}) and its cause on step 4 (line ${step4})`, (found) =>
        sameKeys(markerKeys(found), [`${step4}: softdirty-bypass`, `${step5}: softdirty-bypass`]),
      );
      await onWideScreen(wb, async () => {
        await runScenarioLens(wb, /violated at step 5/);
        const view = new TraceView(wb.page);
        await view.frame.locator('#steps tr.step').first().waitFor({ state: 'visible', timeout: TIMEOUT.analysis });
        const rows = view.frame.locator('#steps tr.step');
        assert.equal(await rows.count(), 5);
        assert.deepEqual(await view.frame.locator('#steps tr.step.violation').evaluateAll((els) => els.map((el) => el.getAttribute('data-line'))), [String(step5)]);
        assert.match(await view.frame.locator('#scenario-verdict').innerText(), /violated at step 5/);
        await wb.screenshot(screenshotPath('7-scenario-steps'));
      });
      await wb.closeTab('mmlens: write, clear soft-dirty');
    }));

  it('8. an interleaving scenario (seed 003): the violating schedule with a column per CPU, the entry and every TLB', () =>
    scenario('8-scenario-schedule', async () => {
      await wb.openFile(SEED_003);
      await wb.waitForProblems(SEED_003, 'stale-tlb on an operation of a CPU section', (found) => found.some((m) => m.code === 'stale-tlb'));
      await onWideScreen(wb, async () => {
        await runScenarioLens(wb, /violated by a schedule/);
        const view = new TraceView(wb.page);
        const schedule = view.frame.locator('#schedule');
        await schedule.locator('tr.step').first().waitFor({ state: 'visible', timeout: TIMEOUT.analysis });
        assert.deepEqual(await schedule.locator('th.cpu').allInnerTexts(), ['cpu0', 'cpu1', 'cpu2']);
        assert.deepEqual(await schedule.locator('th.tlb').allInnerTexts(), ['TLB cpu0', 'TLB cpu1', 'TLB cpu2']);
        const violating = schedule.locator('tr.violating');
        assert.equal(await violating.count(), 1);
        assert.match(await view.frame.locator('#schedule-property').innerText(), /stale-tlb/);
        assert.match(await view.frame.locator('#explored').innerText(), /explored \d+ states, \d+ schedules/);
        // every column fits the view, the last TLB's included: no horizontal scrolling
        const overflow = await view.frame.locator('body').evaluate((body) => body.ownerDocument.documentElement.scrollWidth - body.ownerDocument.documentElement.clientWidth);
        assert.ok(overflow <= 1, `the schedule needs ${overflow}px of horizontal scrolling`);
        await wb.screenshot(screenshotPath('8-scenario-schedule'));
      });
    }));
});

/** Runs `work` on a screen wide enough for the scenario view (a column per CPU and per TLB), the side bar hidden. */
async function onWideScreen(wb: Workbench, work: () => Promise<void>): Promise<void> {
  await wb.page.setViewportSize({ width: 1920, height: 1080 });
  await wb.focusEditor();
  await wb.page.keyboard.press('Control+B');
  try {
    await work();
  } finally {
    await wb.focusEditor();
    await wb.page.keyboard.press('Control+B');
    await wb.page.setViewportSize(VIEWPORT);
  }
}

/** Clicks the scenario's "Run scenario" code lens once its title says `verdict`. */
async function runScenarioLens(wb: Workbench, verdict: RegExp): Promise<void> {
  const lens = await poll('a "Run scenario" code lens with the verdict', async () => (await wb.codeLenses()).find((l) => /Run scenario/.test(l.text) && verdict.test(l.text)), TIMEOUT.analysis, 250);
  assert.equal(lens.line, 1);
  await wb.page.locator('.codelens-decoration a', { hasText: 'Run scenario' }).first().click();
}

/** The text of the language status hover's mmlens entry (opened from the `{}` status item): profile and analysis, or "server stopped". */
async function languageStatusText(wb: Workbench): Promise<string> {
  const hover = await openLanguageStatus(wb);
  const text = await hover.innerText();
  await wb.page.keyboard.press('Escape');
  return text;
}

async function openLanguageStatus(wb: Workbench) {
  // Ours is the entry whose link runs an mmlens command (Switch Profile, or Restart).
  const entry = wb.page.locator('.hover-language-status').filter({ has: wb.page.locator('a[href^="command:mmlens."]') });
  if (await entry.isVisible()) return entry;
  await wb.page.locator('#status\\.languageStatus').click({ timeout: TIMEOUT.ui });
  await entry.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
  return entry;
}

/** Clicks the mmlens language status item's "Switch Profile" link and picks `profile`. */
async function pickProfileFromStatus(wb: Workbench, profile: string): Promise<void> {
  const entry = await openLanguageStatus(wb);
  await entry.locator('a[href="command:mmlens.pickProfile"]').click({ timeout: TIMEOUT.ui });
  const input = wb.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
  const row = wb.page.locator('.quick-input-list .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${profile}$`) }) });
  await row.first().click({ timeout: TIMEOUT.ui });
  await input.waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
}
