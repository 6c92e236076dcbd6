#!/usr/bin/env node
// mmlens command line. Exit status: 0 success, 2 usage or input error.

import { parseArgs } from 'node:util';
import { ProfileError } from '../../../simulator/src';
import { helperReport, lawsReport, profilesReport, rulesReport } from './simulatorCommands';

const USAGE = `usage: mmlens <command> [options]

commands:
  laws [--profile P]…          prove the helper laws symbolically on each profile
  helper <name> [--profile P]… what a helper does on each profile
  profiles                     architectures, versions and config symbols
  rules                        the hazard rules

profiles look like x86_64, x86_64@6.1, arm64, generic, "x86_64 -X86_USER_SHADOW_STACK"`;

function run(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { profile: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const profiles = values.profile ?? ['x86_64'];
  let lines: string[];
  switch (command) {
    case 'laws':
      lines = lawsReport(profiles);
      break;
    case 'helper':
      if (rest.length !== 1) throw new UsageError('helper takes one helper name, e.g. mmlens helper pte_mkwrite');
      lines = helperReport(rest[0]!, profiles);
      break;
    case 'profiles':
      lines = profilesReport();
      break;
    case 'rules':
      lines = rulesReport();
      break;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
  console.log(lines.join('\n'));
  return 0;
}

class UsageError extends Error {}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof ProfileError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`mmlens: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
