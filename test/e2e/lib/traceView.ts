// The mmlens trace view: a webview panel whose page is nested two iframes deep in the
// workbench (the webview host frame, then its active content frame). The hooks are the
// ones client/src/traceView/html.ts documents: #steps tr.step(.hazard), td.bit(.changed),
// #path-picker, #copy-text.

import type { FrameLocator, Locator, Page } from 'playwright-core';
import { TIMEOUT } from './workbench';

export interface TraceRow {
  readonly line: number;
  readonly kind: string;
  readonly detail: string;
  readonly hazard: boolean;
  readonly rules: string[];
  /** Bits marked as changed in this step, with their titles (`W: 0 → 1`). */
  readonly changed: string[];
}

export class TraceView {
  readonly frame: FrameLocator;

  constructor(page: Page) {
    this.frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  steps(): Locator {
    return this.frame.locator('#steps tr.step');
  }

  async waitForSteps(): Promise<void> {
    await this.steps().first().waitFor({ state: 'visible', timeout: TIMEOUT.analysis });
  }

  async title(): Promise<string> {
    return (await this.frame.locator('h1').innerText({ timeout: TIMEOUT.ui })).trim();
  }

  async rows(): Promise<TraceRow[]> {
    const rows: TraceRow[] = [];
    for (const row of await this.steps().all()) {
      const classes = (await row.getAttribute('class')) ?? '';
      const changed: string[] = [];
      for (const cell of await row.locator('td.bit.changed, td.form.changed').all()) changed.push((await cell.getAttribute('title')) ?? '');
      rows.push({
        line: Number(await row.getAttribute('data-line')),
        kind: (await row.getAttribute('data-kind')) ?? '',
        detail: (await row.locator('td.detail code').innerText()).trim(),
        hazard: classes.split(/\s+/).includes('hazard'),
        rules: (await row.locator('a.rule').allInnerTexts()).map((rule) => rule.trim()),
        changed,
      });
    }
    return rows;
  }

  async copyAsText(): Promise<void> {
    await this.frame.locator('#copy-text').click({ timeout: TIMEOUT.ui });
  }

  /** The option labels of the path picker and which one is selected. */
  async paths(): Promise<{ labels: string[]; selected: string }> {
    const picker = this.frame.locator('#path-picker');
    const labels = (await picker.locator('option').allInnerTexts()).map((label) => label.trim());
    const selected = (await picker.locator('option:checked').innerText()).trim();
    return { labels, selected };
  }
}
