// Every mmlens command, in one table: its handler and whether it needs the language server.
// Registration wraps each handler so that a stopped server or a failure ends in a clear
// message, never in an unhandled rejection.

import { commands, env, Uri, window, type Disposable } from 'vscode';
import { COMMANDS, ruleDocUrl } from '../../../server/src/protocol';
import type { CommandContext } from './context';
import { ruleArgument } from './arguments';
import { pickProfile } from './pickProfile';
import { runScenario } from './scenario';
import { showTrace, simulateFunctionAtCursor } from './trace';

interface Command {
  /** Talks to the language server, so it cannot run while the server is not running. */
  readonly needsServer: boolean;
  readonly run: (context: CommandContext, ...args: unknown[]) => unknown;
}

const COMMAND_TABLE: Readonly<Record<keyof typeof COMMANDS, Command>> = {
  simulateFunction: { needsServer: true, run: simulateFunctionAtCursor },
  showTrace: { needsServer: true, run: showTrace },
  pickProfile: { needsServer: false, run: pickProfile },
  restartServer: { needsServer: false, run: (context) => context.server.restart() },
  showOutput: { needsServer: false, run: (context) => context.log.show(true) },
  openRule: { needsServer: false, run: (_context, rule) => openRule(rule) },
  runScenario: { needsServer: true, run: runScenario },
};

export function registerCommands(context: CommandContext): Disposable[] {
  return (Object.keys(COMMAND_TABLE) as (keyof typeof COMMANDS)[]).map((name) =>
    commands.registerCommand(COMMANDS[name], (...args: unknown[]) => runCommand(context, name, args)),
  );
}

async function runCommand(context: CommandContext, name: keyof typeof COMMANDS, args: unknown[]): Promise<void> {
  const command = COMMAND_TABLE[name];
  if (command.needsServer && context.server.state !== 'running') {
    await serverNotRunning(context);
    return;
  }
  try {
    await command.run(context, ...args);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.log.error(`${COMMANDS[name]} failed: ${reason}`);
    const choice = await window.showErrorMessage(`mmlens: ${reason}`, 'Show Output');
    if (choice) context.log.show(true);
  }
}

async function serverNotRunning(context: CommandContext): Promise<void> {
  if (context.server.state === 'starting') {
    void window.showInformationMessage('mmlens: the language server is still starting; try again in a moment.');
    return;
  }
  const choice = await window.showErrorMessage('mmlens: the language server is not running.', 'Restart Server', 'Show Output');
  if (choice === 'Restart Server') await context.server.restart();
  if (choice === 'Show Output') context.log.show(true);
}

async function openRule(argument: unknown): Promise<void> {
  const rule =
    ruleArgument(argument) ??
    (await window.showInputBox({
      title: 'mmlens: Open Rule Documentation',
      prompt: 'Rule id, e.g. uffd-wp-writable (mmlens rules lists them)',
      validateInput: (value) => (ruleArgument(value.trim()) ? undefined : 'A rule id is lowercase words joined by "-"'),
    }));
  if (rule === undefined) return;
  await env.openExternal(Uri.parse(ruleDocUrl(rule.trim())));
}
