// Test code, recognised by what it is: a file the kernel builds only when a test or debugging
// option is set (its directory's Makefile says `obj-$(CONFIG_DEBUG_VM_PGTABLE) += debug_vm_pgtable.o`).
// Such code builds entries on purpose to check the helpers, so its findings are listed as
// information and say why, instead of counting as hazards.

import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Config symbols of test and debugging code: KUnit and self tests, DEBUG_ options. */
const TEST_SYMBOL = /(^|_)(TEST|TESTS|KUNIT)(_|$)|^DEBUG_/;

const makefiles = new Map<string, string | undefined>();

function makefileOf(directory: string): string | undefined {
  if (!makefiles.has(directory)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(directory, 'Makefile'), 'utf8');
    } catch {
      text = undefined;
    }
    makefiles.set(directory, text);
  }
  return makefiles.get(directory);
}

/** The config symbol that alone builds `path` when it is a test or debugging one (`DEBUG_VM_PGTABLE`), else undefined. */
export function testCodeSymbol(path: string): string | undefined {
  if (!/\.c$/.test(path)) return undefined;
  const makefile = makefileOf(dirname(path));
  if (!makefile) return undefined;
  const object = basename(path).replace(/\.c$/, '.o');
  // joined continuation lines, then `obj-$(CONFIG_X) += a.o b.o`
  for (const line of makefile.replace(/\\\n/g, ' ').split('\n')) {
    const match = /^\s*obj-\$\(CONFIG_([A-Za-z0-9_]+)\)\s*\+?=\s*(.*)$/.exec(line);
    if (match && match[2]!.split(/\s+/).includes(object) && TEST_SYMBOL.test(match[1]!)) return match[1];
  }
  return undefined;
}
