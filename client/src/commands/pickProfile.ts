// "mmlens: Pick Profile": a quick pick of common profiles plus "Other…", written to
// `mmlens.profile` where the setting is already set (see settingTarget).

import { ConfigurationTarget, window, workspace, type QuickPickItem } from 'vscode';
import { SETTINGS_SECTION } from '../../../server/src/protocol';
import { readSettings } from '../config';
import { COMMON_PROFILES, settingTarget, type SettingTarget } from './profiles';

const TARGETS: Readonly<Record<SettingTarget, ConfigurationTarget>> = {
  workspaceFolder: ConfigurationTarget.WorkspaceFolder,
  workspace: ConfigurationTarget.Workspace,
  global: ConfigurationTarget.Global,
};

const OTHER: QuickPickItem = { label: 'Other…', description: 'arch[@x.y] [+SYMBOL|-SYMBOL]…, e.g. x86_64@6.9 -MEM_SOFT_DIRTY' };

export async function pickProfile(): Promise<void> {
  const scope = window.activeTextEditor?.document.uri;
  const current = readSettings(scope).settings.profile;
  const items: QuickPickItem[] = [
    ...COMMON_PROFILES.map((choice) => ({ label: choice.profile, description: choice.description, ...(choice.profile === current ? { detail: '$(check) current' } : {}) })),
    OTHER,
  ];
  const picked = await window.showQuickPick(items, { title: 'mmlens: profile to simulate', placeHolder: `Current: ${current}` });
  if (!picked) return;
  const profile =
    picked === OTHER
      ? await window.showInputBox({
          title: 'mmlens: profile to simulate',
          value: current,
          prompt: 'Architecture (x86_64, arm64, generic), optional @x.y kernel version, config overrides +SYMBOL / -SYMBOL',
          validateInput: (value) => (value.trim() === '' ? 'A profile names at least an architecture' : undefined),
        })
      : picked.label;
  if (profile === undefined) return;
  const configuration = workspace.getConfiguration(SETTINGS_SECTION, scope);
  const target = settingTarget(configuration.inspect('profile'), workspace.workspaceFolders !== undefined);
  await configuration.update('profile', profile.trim(), TARGETS[target]);
}
