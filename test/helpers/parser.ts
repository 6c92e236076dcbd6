// One C parser per test process, loaded from the npm packages.

import { CParser, cSyntaxChecker, wasmPathsFromPackages, type CSyntaxChecker } from '../../server/src/parsing';

let loading: Promise<CParser> | undefined;

export function testParser(): Promise<CParser> {
  loading ??= CParser.load(wasmPathsFromPackages());
  return loading;
}

export async function testSyntax(): Promise<CSyntaxChecker> {
  return cSyntaxChecker(await testParser());
}
