// The VS Code workbench in the browser, as a user drives it: open files, move the
// cursor, hover, read the Problems panel, squiggles and code lenses. Every wait is on a DOM state.

import type { Page, Locator } from 'playwright-core';
import { poll } from './poll';
import type { CodeServer } from './codeServer';

export const TIMEOUT = {
  workbench: 60_000,
  file: 30_000,
  /** The language server's first analysis includes its start-up. */
  analysis: 60_000,
  ui: 15_000,
};

/** The workbench URL that opens `folder` and, optionally, `file` at a position. */
export function workbenchUrl(server: CodeServer, folder: string, file?: string, line = 1, column = 1): string {
  const params = new URLSearchParams({ folder });
  if (file !== undefined) {
    const payload = [['openFile', `vscode-remote://${server.authority}${file}:${line}:${column}`], ['gotoLineMode', 'true']];
    params.set('payload', JSON.stringify(payload));
  }
  return `${server.url}/?${params.toString()}`;
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Loads the workbench and waits until it is interactive (and `fileName`'s editor shows, if given). */
  async load(url: string, fileName?: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: TIMEOUT.workbench });
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
    await this.page.locator('.statusbar').waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
    if (fileName !== undefined) await this.waitForEditor(fileName);
  }

  async waitForEditor(fileName: string): Promise<void> {
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${fileName}"]`).waitFor({ state: 'visible', timeout: TIMEOUT.file });
    await this.editor().locator('.view-line').first().waitFor({ state: 'visible', timeout: TIMEOUT.file });
  }

  /** The active text editor. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Opens a workspace file through Quick Open in the first editor group, as a user would. */
  async openFile(fileName: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await input.fill(fileName);
    await this.page.locator(`.quick-input-list .monaco-list-row[aria-label*="${fileName}"]`).first().click({ timeout: TIMEOUT.ui });
    await this.waitForEditor(fileName);
  }

  /** Puts the cursor at a 1-based line and visual column (tabs expanded) with Quick Open's `:line:column`. */
  async goTo(line: number, column: number): Promise<void> {
    await this.focusEditor();
    // Ctrl+G does not reach the workbench in the browser; Quick Open does the same.
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
    await poll(`cursor at ${line}:${column}`, async () => ((await this.cursorPosition()) === `${line}:${column}` ? true : undefined), TIMEOUT.ui);
  }

  /** "line:column" from the status bar's cursor item. */
  async cursorPosition(): Promise<string | undefined> {
    const text = await this.page.locator('#status\\.editor\\.selection').innerText({ timeout: 2000 });
    const match = text.match(/Ln (\d+), Col (\d+)/);
    return match ? `${match[1]}:${match[2]}` : undefined;
  }

  /** Keyboard focus to the editor of the first group (where the scenarios open files). */
  async focusEditor(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+1'); // Focus First Editor Group
  }

  /** Closes the editor tab whose label starts with `label` (a text editor or a webview). */
  async closeTab(label: string): Promise<void> {
    const tab = this.page.locator(`.tabs-container .tab[aria-label^="${label}"]`);
    await tab.click({ timeout: TIMEOUT.ui });
    await tab.locator('.tab-actions .action-label').click({ timeout: TIMEOUT.ui });
    await tab.waitFor({ state: 'detached', timeout: TIMEOUT.ui });
  }

  /**
   * Shows the hover at the cursor (Ctrl+K Ctrl+I) until its text satisfies `accept`.
   * The first hover after opening a file may come back empty while the server starts, so retry.
   */
  async hoverAt(line: number, column: number, accept: (text: string) => boolean, timeoutMs = TIMEOUT.analysis): Promise<string> {
    await this.goTo(line, column);
    // The workbench keeps hidden hover widgets around: only the visible one counts.
    const hover = this.page.locator('.monaco-hover-content').filter({ visible: true });
    return poll(
      `a hover at ${line}:${column} with the expected content`,
      async () => {
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Control+K');
        await this.page.keyboard.press('Control+I');
        await hover.first().waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
        const text = (await hover.allInnerTexts()).map((part) => part.trim()).filter((part) => part !== '').join('\n');
        if (accept(text)) return text;
        throw new Error(`hover text was: ${JSON.stringify(text.slice(0, 300))}`);
      },
      timeoutMs,
      500,
    );
  }

  /**
   * Opens the Problems panel, filtered to one file (the list only renders the rows that fit,
   * so the other files' markers are filtered away), and returns its marker rows.
   */
  async problems(fileName: string): Promise<Marker[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    }
    const filter = this.page.locator('input[aria-label="Filter Problems"]');
    const glob = `**/${fileName}`;
    if ((await filter.inputValue()) !== glob) {
      await filter.fill(glob);
      // Leave the filter box: an Escape pressed there later would clear it.
      await this.page.keyboard.press('Control+1');
    }
    const rows = (await this.page.evaluate(READ_MARKER_ROWS)) as { level: string; text: string }[];
    return parseMarkerRows(rows).filter((marker) => marker.file === fileName);
  }

  /** Waits until the Problems panel's markers for `fileName` satisfy `accept`; returns them. */
  async waitForProblems(fileName: string, describe: string, accept: (markers: Marker[]) => boolean, timeoutMs = TIMEOUT.analysis): Promise<Marker[]> {
    let last: Marker[] = [];
    try {
      return await poll(describe, async () => {
        last = await this.problems(fileName);
        return accept(last) ? last : undefined;
      }, timeoutMs, 250);
    } catch (error) {
      throw new Error(`${(error as Error).message}; the Problems panel showed for ${fileName}:\n${last.map(formatMarker).join('\n') || '(nothing)'}`);
    }
  }

  /**
   * Waits until `line` carries a squiggle, and every squiggle drawn around it is on one of
   * `allowed` (the editor only renders the lines in view, so the line is revealed first).
   */
  async waitForSquiggle(line: number, allowed: readonly number[]): Promise<void> {
    await this.goTo(line, 1);
    let seen: number[] = [];
    try {
      await poll(`a squiggle on line ${line}`, async () => {
        seen = [...new Set((await this.squiggles()).map((s) => s.line))].sort((a, b) => a - b);
        return seen.includes(line) && seen.every((l) => allowed.includes(l)) ? true : undefined;
      }, TIMEOUT.ui);
    } catch (error) {
      throw new Error(`${(error as Error).message}; squiggles were on lines ${seen.join(', ') || '(none)'}, expected only ${allowed.join(', ')}`);
    }
  }

  /** 1-based lines of the active editor that carry a squiggle, with its kind (error, warning, info). */
  async squiggles(): Promise<{ line: number; kind: string }[]> {
    return (await this.page.evaluate(READ_SQUIGGLES)) as { line: number; kind: string }[];
  }

  /** The code lenses drawn in the active editor: their text and the 1-based line below them. */
  async codeLenses(): Promise<{ text: string; line: number }[]> {
    return (await this.page.evaluate(READ_CODE_LENSES)) as { text: string; line: number }[];
  }

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, type: 'png' });
  }
}

export interface Marker {
  /** The file the marker belongs to (the Problems panel's resource row). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `mmlens` for ours. */
  readonly source: string;
  /** The diagnostic code: the rule id. */
  readonly code: string;
  readonly message: string;
}

export function formatMarker(marker: Marker): string {
  return `${marker.file}:${marker.line}:${marker.column} ${marker.source}(${marker.code}) ${marker.message}`;
}

// Page-side readers, as strings: the test project has no DOM types, and these run in the page.

/** Problems rows in order: resource rows (level 1), their markers (2), related information (3). */
const READ_MARKER_ROWS = `Array.from(document.querySelectorAll('.markers-panel .monaco-list-row')).map((row) => ({
  level: row.getAttribute('aria-level') || '',
  text: row.innerText,
}))`;

function parseMarkerRows(rows: readonly { level: string; text: string }[]): Marker[] {
  const markers: Marker[] = [];
  let file = '';
  for (const row of rows) {
    if (row.level === '1') {
      file = row.text.split('\n')[0]!.trim();
      continue;
    }
    if (row.level !== '2') continue; // level 3: a marker's related information
    // "message\nmmlens\nrule-id\n[Ln 21, Col 2]": the row's text; the parentheses are CSS.
    const lines = row.text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const at = lines.findIndex((line) => /^\[Ln \d+, Col \d+\]$/.test(line));
    const position = at >= 0 ? lines[at]!.match(/(\d+), Col (\d+)/) : null;
    const details = at >= 0 ? lines.slice(1, at) : [];
    markers.push({
      file,
      line: position ? Number(position[1]) : 0,
      column: position ? Number(position[2]) : 0,
      source: details[0] ?? '',
      code: details[1] ?? '',
      message: lines[0] ?? '',
    });
  }
  return markers;
}

/** Squiggle decorations mapped to line numbers through the lines' vertical positions. */
const READ_SQUIGGLES = `(() => {
  const editor = document.querySelector('.editor-group-container.active .monaco-editor');
  if (!editor) return [];
  const numbers = new Map();
  for (const row of editor.querySelectorAll('.margin-view-overlays > div')) {
    const number = row.querySelector('.line-numbers');
    if (number) numbers.set(row.style.top, Number(number.textContent.trim()));
  }
  const found = [];
  for (const squiggle of editor.querySelectorAll('.view-overlays [class*="squiggly-"]')) {
    const kind = (squiggle.className.match(/squiggly-(\\w+)/) || [])[1];
    const line = numbers.get(squiggle.parentElement.style.top);
    if (line !== undefined && kind !== 'inline') found.push({ line, kind });
  }
  return found;
})()`;

/** Code lens links with the line below them (the lens sits in a view zone just above its line). */
const READ_CODE_LENSES = `(() => {
  const editor = document.querySelector('.editor-group-container.active .monaco-editor');
  if (!editor) return [];
  const lines = Array.from(editor.querySelectorAll('.margin-view-overlays > div'))
    .map((row) => ({ top: parseFloat(row.style.top), number: Number((row.querySelector('.line-numbers') || {}).textContent) }))
    .filter((row) => row.number > 0)
    .sort((a, b) => a.top - b.top);
  return Array.from(editor.querySelectorAll('.codelens-decoration')).flatMap((lens) => {
    const top = parseFloat(lens.style.top || lens.parentElement.style.top);
    const below = lines.find((row) => row.top >= top);
    return Array.from(lens.querySelectorAll('a')).map((link) => ({ text: link.textContent.trim(), line: below ? below.number : 0 }));
  });
})()`;
