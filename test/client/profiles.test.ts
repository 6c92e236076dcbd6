// The profiles the picker offers are real profiles, and the choice goes where the setting lives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile } from '../../simulator/src';
import { COMMON_PROFILES, settingTarget } from '../../client/src/commands/profiles';

test('every profile the picker offers parses, and they are distinct profiles', () => {
  const names = COMMON_PROFILES.map((choice) => parseProfile(choice.profile).name);
  assert.equal(new Set(names).size, names.length, names.join(', '));
  for (const arch of ['x86_64', 'arm64', 'generic']) assert.ok(names.some((name) => name.startsWith(arch)), arch);
});

test('the profile is written where it is set most specifically, else to the workspace, else globally', () => {
  assert.equal(settingTarget({ workspaceFolderValue: 'arm64', workspaceValue: 'x86_64' }, true), 'workspaceFolder');
  assert.equal(settingTarget({ workspaceValue: 'x86_64' }, true), 'workspace');
  assert.equal(settingTarget({}, true), 'workspace');
  assert.equal(settingTarget(undefined, false), 'global');
  assert.equal(settingTarget({}, false), 'global');
});
