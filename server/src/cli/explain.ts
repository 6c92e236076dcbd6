// `mmlens explain <rule>`: the rule's documentation page.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRuleIds } from '../headers/lawRules';
import { InputError } from './errors';

/** docs/rules next to dist/ (bundle) or four levels up from out/server/src/cli (tsc output). */
function rulesDirectory(): string | undefined {
  return [join(__dirname, '..', 'docs', 'rules'), join(__dirname, '..', '..', '..', '..', 'docs', 'rules')].find((dir) => existsSync(dir));
}

/** The rule's page as Markdown, or undefined when the docs are not installed. */
export function readRuleDoc(rule: string): string | undefined {
  const dir = rulesDirectory();
  const file = dir && join(dir, `${rule}.md`);
  return file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export function runExplain(rule: string): string {
  if (!allRuleIds().includes(rule)) throw new InputError(`unknown rule "${rule}" (rules: ${allRuleIds().join(', ')})`);
  const doc = readRuleDoc(rule);
  if (doc === undefined) throw new InputError('the rule documentation (docs/rules) is not installed next to mmlens');
  return doc;
}
