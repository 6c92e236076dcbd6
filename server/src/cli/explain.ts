// `mmlens explain <rule>`: the rule's documentation page.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleIds } from '../../../simulator/src';
import { InputError } from './check';

/** docs/rules next to dist/ (bundle) or four levels up from out/server/src/cli (tsc output). */
function rulesDirectory(): string | undefined {
  return [join(__dirname, '..', 'docs', 'rules'), join(__dirname, '..', '..', '..', '..', 'docs', 'rules')].find((dir) => existsSync(dir));
}

export function runExplain(rule: string): string {
  if (!ruleIds().includes(rule)) throw new InputError(`unknown rule "${rule}" (rules: ${ruleIds().join(', ')})`);
  const dir = rulesDirectory();
  if (!dir) throw new InputError('the rule documentation (docs/rules) is not installed next to mmlens');
  return readFileSync(join(dir, `${rule}.md`), 'utf8');
}
