// Where the end-to-end tests find the project, its build and the tools, and where they write.

import { join } from 'node:path';
import { repoRoot } from '../../helpers/paths';

export const root = repoRoot();
export const serverBundle = join(root, 'dist', 'server.js');
export const examplesDir = join(root, 'examples');
export const fixturesDir = join(root, 'test', 'e2e', 'fixtures');
export const outputDir = join(root, 'test-output', 'e2e');
export const setupScript = join(root, 'test', 'e2e', 'setup.mjs');

/** A PNG for one scenario, under test-output/e2e/. */
export const screenshotPath = (name: string): string => join(outputDir, `${name}.png`);
