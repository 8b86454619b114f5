// scripts/check-docs finds what it is for: a link to a missing file, a #anchor no heading has, and a
// line of prose written twice; and passes clean docs, code blocks and short lines alike.
// Run: node --test tests/docs/check-docs.test.mjs (scripts/test runs it with the docs check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECK = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'check-docs');
const PROSE = 'A sentence long enough to count as prose in the documentation check.';

function check(files) {
  const root = mkdtempSync(join(tmpdir(), 'check-docs-'));
  mkdirSync(join(root, 'docs'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const run = spawnSync('node', [CHECK, root], { encoding: 'utf8' });
  rmSync(root, { recursive: true });
  return { status: run.status, out: run.stdout + run.stderr };
}

test('clean docs pass: links to files and headings, repeated code and short lines', () => {
  const run = check({
    'README.md': `# Title\n\n${PROSE}\n\nSee [the guide](docs/guide.md#how-it-works-really) and [here](#title).\n\n\`\`\`sh\nscripts/test --a-long-command-line-that-also-appears-in-the-guide\n\`\`\`\n\n| a | b |\n|---|---|\n`,
    'docs/guide.md': `# Guide\n\n## How it works, *really*\n\nBack to the [README](../README.md).\n\n\`\`\`sh\nscripts/test --a-long-command-line-that-also-appears-in-the-guide\n\`\`\`\n\n| a | b |\n|---|---|\n`,
  });
  assert.equal(run.status, 0, run.out);
});

test('a missing file, a missing anchor and a repeated line each fail, with file and line', () => {
  const run = check({
    'README.md': `# Title\n\n${PROSE}\n\n[gone](docs/gone.md) and [nowhere](docs/guide.md#nowhere)\n`,
    'docs/guide.md': `# Guide\n\n- ${PROSE}\n`,
  });
  assert.equal(run.status, 1, run.out);
  assert.match(run.out, /README\.md:5: link to docs\/gone\.md: no such file/);
  assert.match(run.out, /README\.md:5: link to docs\/guide\.md#nowhere: docs\/guide\.md has no heading #nowhere/);
  assert.match(run.out, /docs\/guide\.md:3: the same line as README\.md:3/);
});
