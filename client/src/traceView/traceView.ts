// The trace view: one webview panel showing one path of one function. The page is rendered
// here (html.ts); its script only reports clicks, which this class turns into commands.

import { randomBytes } from 'node:crypto';
import { commands, env, Range, Uri, ViewColumn, window, type Disposable, type LogOutputChannel, type Webview, type WebviewPanel } from 'vscode';
import { COMMANDS, type ShowTraceArguments, type TraceResult } from '../../../server/src/protocol';
import { traceHtml } from './html';
import { parseTraceViewMessage, type TraceViewMessage } from './messages';

export class TraceView implements Disposable {
  private panel: WebviewPanel | undefined;
  private trace: TraceResult | undefined;

  constructor(
    private readonly extensionUri: Uri,
    private readonly log: LogOutputChannel,
  ) {}

  show(trace: TraceResult): void {
    this.trace = trace;
    const panel = this.panel ?? this.createPanel();
    panel.title = `mmlens: ${trace.function}`;
    panel.webview.html = traceHtml(trace, {
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
      if (!message || !this.trace) return;
      this.handle(message, this.trace).catch((error: unknown) => {
        this.log.error(`Trace view: ${error instanceof Error ? error.message : String(error)}`);
        void window.showErrorMessage(`mmlens: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.trace = undefined;
    });
    this.panel = panel;
    return panel;
  }

  private async handle(message: TraceViewMessage, trace: TraceResult): Promise<void> {
    switch (message.type) {
      case 'pickPath': {
        const args: ShowTraceArguments = { uri: trace.uri, function: trace.function, side: trace.side, path: message.path };
        await commands.executeCommand(COMMANDS.showTrace, args);
        return;
      }
      case 'reveal': {
        const step = trace.steps[message.step];
        if (step) await reveal(trace.uri, step.range);
        return;
      }
      case 'copyText':
        await env.clipboard.writeText(trace.text);
        window.setStatusBarMessage('mmlens: trace copied', 3000);
        return;
      case 'openRule':
        await commands.executeCommand(COMMANDS.openRule, message.rule);
        return;
    }
  }
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
