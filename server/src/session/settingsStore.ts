// Settings per document, pulled from the client with `workspace/configuration` (section
// `mmlens`, scoped to the document) and kept until the client says they changed. Values out of
// shape keep their defaults; each problem is logged as a warning, never thrown.

import type { Connection } from 'vscode-languageserver/node';
import { parseProfile } from '../../../simulator/src';
import { isAutoProfile } from '../inputs/profileChoice';
import { DEFAULT_SETTINGS, normalizeSettings, SETTINGS_SECTION, type MmlensSettings } from '../protocol';
import type { ClientSupport } from './clientSupport';

export class SettingsStore {
  private readonly byUri = new Map<string, Promise<MmlensSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly support: () => ClientSupport,
  ) {}

  get(uri: string): Promise<MmlensSettings> {
    let settings = this.byUri.get(uri);
    if (!settings) {
      settings = this.fetch(uri);
      this.byUri.set(uri, settings);
    }
    return settings;
  }

  /** The client's settings changed: pull them again when next needed. */
  invalidate(): void {
    this.byUri.clear();
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  private async fetch(uri: string): Promise<MmlensSettings> {
    if (!this.support().configuration) return DEFAULT_SETTINGS;
    let raw: unknown;
    try {
      raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
    } catch (error) {
      this.connection.console.warn(`mmlens: could not read the settings for ${uri} (${(error as Error).message}); using the defaults`);
      return DEFAULT_SETTINGS;
    }
    const normalized = normalizeSettings(raw);
    const problems = [...normalized.problems];
    const checked = withKnownProfile(normalized.settings, problems);
    if (problems.length > 0) this.connection.console.warn(`mmlens settings for ${uri}: ${problems.join('; ')}`);
    return checked;
  }
}

/** The profile must be `auto` or parse (`x86_64@6.1 +MEM_SOFT_DIRTY`); otherwise the default one is used. */
function withKnownProfile(settings: MmlensSettings, problems: string[]): MmlensSettings {
  if (isAutoProfile(settings.profile)) return settings;
  try {
    parseProfile(settings.profile);
    return settings;
  } catch (error) {
    problems.push(`mmlens.profile "${settings.profile}": ${(error as Error).message}; using "${DEFAULT_SETTINGS.profile}"`);
    return { ...settings, profile: DEFAULT_SETTINGS.profile };
  }
}
