// A throw-away code-server: fresh user data, extensions and XDG folders in a temp
// directory, bound to 127.0.0.1 on a port the OS picks, with our .vsix installed.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startOwned, type OwnedProcess } from './processes';
import type { CodeServerTools } from './tools';
import { TAB_SIZE } from './expectations';

const run = promisify(execFile);

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The `host:port` part, as vscode-remote:// URIs name it. */
  readonly authority: string;
  readonly process: OwnedProcess;
  /** Stops code-server and everything it started, and removes its folders. */
  stop(): Promise<void>;
}

/** User settings that keep a fresh profile quiet and deterministic. */
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'editor.tabSize': TAB_SIZE,
  'editor.detectIndentation': false,
  'window.restoreWindows': 'none',
};

export interface CodeServerOptions {
  readonly tools: CodeServerTools;
  /** The extension to install; none for a bare workbench (when debugging the harness). */
  readonly vsix?: string;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'mmlens-code-server-'));
  const dirs = {
    userData: join(home, 'user-data'),
    extensions: join(home, 'extensions'),
    xdgConfig: join(home, 'xdg-config'),
    xdgData: join(home, 'xdg-data'),
    xdgCache: join(home, 'xdg-cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const config = join(home, 'config.yaml');
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

  const env = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const { node, codeServer } = options.tools;

  const cleanup = (): void => rmSync(home, { recursive: true, force: true });
  if (options.vsix !== undefined) {
    try {
      await installExtension(node, [codeServer, ...common], env, options.vsix);
    } catch (error) {
      cleanup();
      throw error;
    }
  }

  const proc = startOwned(
    node,
    [
      codeServer,
      ...common,
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env },
  );
  const stop = async (): Promise<void> => {
    await proc.stop();
    cleanup();
  };
  try {
    const [, url] = await proc.waitForOutput(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    return { url: url!, authority: url!.replace(/^http:\/\//, ''), process: proc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function installExtension(node: string, args: string[], env: NodeJS.ProcessEnv, vsix: string): Promise<void> {
  const installed = await run(node, [...args, '--install-extension', vsix, '--force'], { env, timeout: 120_000 });
  const said = `${installed.stdout}${installed.stderr}`;
  if (!/successfully installed/i.test(said)) throw new Error(`code-server did not install ${vsix}:\n${said}`);
}
