// The language status item: the profile the active document is simulated with and why (click to
// switch) and what its last analysis found; or that the server is not running (click to restart).

import { LanguageStatusSeverity, languages, window, workspace, type Disposable, type LanguageStatusItem } from 'vscode';
import { COMMANDS, SETTINGS_SECTION, type AnalysisStatusParams } from '../../server/src/protocol';
import { readSettings } from './config';
import { DOCUMENT_SELECTOR } from './documentSelector';
import type { ServerSession } from './languageClient';

export class ProfileStatus implements Disposable {
  private readonly item: LanguageStatusItem;
  /** The last analysis of each open document, by the server's URI for it. */
  private readonly analyses = new Map<string, AnalysisStatusParams>();
  private readonly subscriptions: Disposable[];

  constructor(private readonly server: ServerSession) {
    this.item = languages.createLanguageStatusItem('mmlens.profile', DOCUMENT_SELECTOR);
    this.item.name = 'mmlens';
    this.subscriptions = [
      this.item,
      server.onAnalysisStatus((status) => {
        this.analyses.set(status.uri, status);
        this.update();
      }),
      server.onDidChangeState(() => this.update()),
      window.onDidChangeActiveTextEditor(() => this.update()),
      workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.profile`) || event.affectsConfiguration(`${SETTINGS_SECTION}.tree`)) this.update();
      }),
      workspace.onDidCloseTextDocument((document) => this.analyses.delete(server.protocolUri(document.uri))),
    ];
    this.update();
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }

  private update(): void {
    const item = this.item;
    const state = this.server.state;
    item.busy = state === 'starting';
    if (state === 'stopped') {
      item.text = 'mmlens: server stopped';
      item.detail = 'see the output for why';
      item.severity = LanguageStatusSeverity.Error;
      item.command = { title: 'Restart', command: COMMANDS.restartServer };
      return;
    }
    const document = window.activeTextEditor?.document;
    const configured = readSettings(document?.uri).settings.profile;
    const analysis = document ? this.analyses.get(this.server.protocolUri(document.uri)) : undefined;
    item.severity = LanguageStatusSeverity.Information;
    item.text = analysis?.profile ?? configured;
    item.detail = analysis ? analysisDetail(analysis, configured) : state === 'starting' ? 'starting…' : 'profile (not analysed yet)';
    item.command = { title: 'Switch Profile', command: COMMANDS.pickProfile };
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function analysisDetail(analysis: AnalysisStatusParams, configured: string): string {
  const parts = [count(analysis.functions, 'function'), count(analysis.paths, 'path'), count(analysis.findings, 'finding')];
  if (analysis.truncated > 0) parts.push(`${analysis.truncated} truncated`);
  // The server names the profile it used and why (the setting, an `@mm profile`, the kernel
  // tree, the mail's headers …); an older server only names it.
  if (analysis.profileReason) parts.unshift(analysis.profileReason);
  else if (analysis.profile !== configured) parts.push(`setting: ${configured}`);
  if (analysis.model === 'derived' && analysis.modelReason) parts.splice(1, 0, `helpers ${analysis.modelReason}`);
  return parts.join(' · ');
}
