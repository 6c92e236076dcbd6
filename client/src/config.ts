// Settings: the server pulls `mmlens` with workspace/configuration and gets the typed object
// (`normalizeSettings`), never raw user input. Values out of shape keep their defaults and are
// reported once each, in the log and as a warning with a way to the settings.

import { commands, window, workspace, type LogOutputChannel, type Uri } from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { normalizeSettings, SETTINGS_SECTION, type NormalizedSettings } from '../../server/src/protocol';

/** The settings that apply to a document (or to the workspace when there is none). */
export function readSettings(scope: Uri | undefined): NormalizedSettings {
  return normalizeSettings(workspace.getConfiguration(undefined, scope).get(SETTINGS_SECTION));
}

export function configurationMiddleware(log: LogOutputChannel): NonNullable<Middleware['workspace']> {
  const reported = new Set<string>();
  const report = (problems: readonly string[]): void => {
    const fresh = problems.filter((problem) => !reported.has(problem));
    if (fresh.length === 0) return;
    fresh.forEach((problem) => {
      reported.add(problem);
      log.warn(problem);
    });
    void window.showWarningMessage(`mmlens: ${fresh.join('; ')}.`, 'Open Settings').then((choice) => {
      if (choice) void commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
    });
  };
  return {
    configuration: async (params, token, next) => {
      const values = await next(params, token);
      if (!Array.isArray(values)) return values;
      return values.map((value, index) => {
        if (params.items[index]?.section !== SETTINGS_SECTION) return value;
        const { settings, problems } = normalizeSettings(value);
        report(problems);
        return settings;
      });
    },
  };
}
