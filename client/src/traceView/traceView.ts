// The trace view: one webview panel showing one path of one function, or the run of a scenario
// (its steps, or the schedule of an interleaving). The page is rendered here (html.ts,
// scenarioHtml.ts); its script only reports clicks, which this class turns into commands.

import { randomBytes } from 'node:crypto';
import { commands, env, Range, Uri, ViewColumn, window, type Disposable, type LogOutputChannel, type Webview, type WebviewPanel } from 'vscode';
import { COMMANDS, type ScenarioTraceResult, type ShowTraceArguments, type TraceResult } from '../../../server/src/protocol';
import { traceHtml, type WebviewAssets } from './html';
import { scenarioHtml, scenarioRowLines } from './scenarioHtml';
import { parseTraceViewMessage, type TraceViewMessage } from './messages';

export class TraceView implements Disposable {
  private panel: WebviewPanel | undefined;
  private shown: Shown | undefined;

  constructor(
    private readonly extensionUri: Uri,
    private readonly log: LogOutputChannel,
  ) {}

  show(trace: TraceResult): void {
    this.shown = {
      uri: trace.uri,
      text: trace.text,
      what: 'trace',
      rangeOf: (row) => trace.steps[row]?.range,
      pickPath: (path) => ({ uri: trace.uri, function: trace.function, side: trace.side, path }),
    };
    this.render(`mmlens: ${trace.function}`, (assets) => traceHtml(trace, assets));
  }

  showScenario(scenario: ScenarioTraceResult): void {
    const lines = scenarioRowLines(scenario);
    this.shown = {
      uri: scenario.uri,
      text: scenario.text,
      what: 'scenario',
      rangeOf: (row) => (lines[row] === undefined ? undefined : { start: { line: lines[row]!, character: 0 }, end: { line: lines[row]!, character: 0 } }),
    };
    this.render(`mmlens: ${scenario.name ?? 'scenario'}`, (assets) => scenarioHtml(scenario, assets));
  }

  private render(title: string, page: (assets: WebviewAssets) => string): void {
    const panel = this.panel ?? this.createPanel();
    panel.title = title;
    panel.webview.html = page({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: this.mediaUri(panel.webview, 'traceView.js'),
      styleUri: this.mediaUri(panel.webview, 'traceView.css'),
    });
    if (!panel.visible) panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private get media(): Uri {
    return Uri.joinPath(this.extensionUri, 'media');
  }

  private mediaUri(webview: Webview, file: string): string {
    return webview.asWebviewUri(Uri.joinPath(this.media, file)).toString();
  }

  private createPanel(): WebviewPanel {
    const panel = window.createWebviewPanel(
      'mmlens.trace',
      'mmlens trace',
      { viewColumn: ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [this.media], enableFindWidget: true },
    );
    panel.iconPath = Uri.joinPath(this.media, 'icon.png');
    panel.webview.onDidReceiveMessage((data: unknown) => {
      const message = parseTraceViewMessage(data);
      const shown = this.shown;
      if (!message || !shown) return;
      this.handle(message, shown).catch((error: unknown) => {
        this.log.error(`Trace view: ${error instanceof Error ? error.message : String(error)}`);
        void window.showErrorMessage(`mmlens: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.shown = undefined;
    });
    this.panel = panel;
    return panel;
  }

  private async handle(message: TraceViewMessage, shown: Shown): Promise<void> {
    switch (message.type) {
      case 'pickPath': {
        const args = shown.pickPath?.(message.path);
        if (args) await commands.executeCommand(COMMANDS.showTrace, args);
        return;
      }
      case 'reveal': {
        const range = shown.rangeOf(message.step);
        if (range) await reveal(shown.uri, range);
        return;
      }
      case 'copyText':
        await env.clipboard.writeText(shown.text);
        window.setStatusBarMessage(`mmlens: ${shown.what} copied`, 3000);
        return;
      case 'openRule':
        await commands.executeCommand(COMMANDS.openRule, message.rule);
        return;
    }
  }
}

/** What the panel shows, as its messages need it: a row's place in the document, the text to copy. */
interface Shown {
  readonly uri: string;
  readonly text: string;
  readonly what: 'trace' | 'scenario';
  /** The document range of the page's row (a step of the path, of the scenario, or of its schedule). */
  readonly rangeOf: (row: number) => TraceResult['steps'][number]['range'] | undefined;
  /** A function's trace only: the arguments that show another of its paths. */
  readonly pickPath?: (path: number) => ShowTraceArguments;
}

/** Shows the step's line in the editor that has the document open, or in the first column. */
async function reveal(uri: string, range: TraceResult['steps'][number]['range']): Promise<void> {
  const column = window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri)?.viewColumn ?? ViewColumn.One;
  const selection = new Range(range.start.line, range.start.character, range.end.line, range.end.character);
  try {
    await window.showTextDocument(Uri.parse(uri), { viewColumn: column, selection, preserveFocus: false });
  } catch (error) {
    throw new Error(`cannot open ${uri}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
