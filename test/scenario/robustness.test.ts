// Bad scenario text never crashes a run: every example, mutated line by line (lines dropped,
// doubled, cut, their words swapped, bytes thrown in), on every architecture, gives either a run
// or problems with lines inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenarioText } from '../../server/src/scenario/runScenarioText';
import { testParser } from '../helpers/parser';
import { repoRoot } from '../helpers/paths';

const dir = join(repoRoot(), 'examples', 'scenarios');
const examples = readdirSync(dir).filter((name) => name.endsWith('.mmscenario'));

/** Deterministic mutations of one line of a text. */
function* mutations(text: string): Generator<string> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const replace = (to: string[]) => [...lines.slice(0, i), ...to, ...lines.slice(i + 1)].join('\n');
    yield replace([]);
    yield replace([line, line]);
    yield replace([line.slice(0, Math.floor(line.length / 2))]);
    yield replace([line.split(/(\s+)/).reverse().join('')]);
    yield replace([`${line}\u0000=\uFFFD(`]);
  }
}

test('mutated example scenarios give a run or problems at lines of the document, never an exception', { timeout: 600_000 }, async () => {
  const parser = await testParser();
  let runs = 0;
  for (const name of examples) {
    const path = join(dir, name);
    for (const text of mutations(readFileSync(path, 'utf8'))) {
      const report = runScenarioText(parser, text, { path, explore: { maxStates: 2_000 } });
      const lines = text.split('\n').length;
      for (const problem of report.problems) assert.ok(problem.line >= 1 && problem.line <= lines && problem.message.length > 0, `${name}: ${JSON.stringify(problem)}`);
      if (report.problems.length === 0) runs++;
      else assert.equal(report.holds, false);
    }
  }
  assert.ok(runs > 0, 'some mutations still run');
});

test('every example on every architecture: a run, or an input problem saying what the profile lacks', async () => {
  const parser = await testParser();
  for (const name of examples) {
    const path = join(dir, name);
    for (const profile of ['x86_64@4.4', 'x86_64@6.1', 'x86_64', 'arm64', 'generic']) {
      const report = runScenarioText(parser, readFileSync(path, 'utf8'), { path, profile, explore: { maxStates: 2_000 } });
      for (const problem of report.problems) assert.match(problem.message, /needs CONFIG_|modelled for kernels|has no entry bit|lacks|not|exist/, `${name} on ${profile}: ${problem.message}`);
    }
  }
});
