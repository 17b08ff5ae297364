// Token-class agreement check for the tree-sitter queries: runs
// `tree-sitter query --captures queries/highlights.scm` on
// editors/fixtures/all.berth and compares the innermost capture at each
// position in editors/fixtures/token-classes.json with the class's
// tree-sitter names. Usage: node test/classes.js [TREE_SITTER [PARSER.so [CONFIG]]]
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');
const classes = require('../../fixtures/classes-lib.js');

const ts = process.argv[2] || 'tree-sitter';
const extra = [];
if (process.argv[3]) extra.push('--lib-path', process.argv[3], '--lang-name', 'berth');
if (process.argv[4]) extra.push('--config-path', process.argv[4]);
const { fixture } = classes.load();
const grammarDir = path.join(__dirname, '..');
const out = execFileSync(ts, ['query', '--captures', ...extra, 'queries/highlights.scm', fixture], {
  cwd: grammarDir,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
});
const re = /capture: \d+ - ([\w.]+), start: \((\d+), (\d+)\), end: \((\d+), (\d+)\)/;
const caps = [];
for (const l of out.split('\n')) {
  const m = re.exec(l);
  if (m) caps.push({ name: m[1], sr: +m[2], sc: +m[3], er: +m[4], ec: +m[5] });
}
if (caps.length === 0) {
  console.log('FAIL no captures parsed from `tree-sitter query` output');
  process.exit(1);
}
const before = (r1, c1, r2, c2) => r1 < r2 || (r1 === r2 && c1 <= c2);
const failures = classes.run('tree-sitter', (line, col) => {
  const hits = caps.filter(
    (c) => before(c.sr, c.sc, line, col) && !before(c.er, c.ec, line, col) && !c.name.startsWith('_'),
  );
  if (!hits.length) return '(no capture)';
  // innermost = starts last (ties: ends first)
  hits.sort((a, b) => (a.sr - b.sr) || (a.sc - b.sc) || (b.er - a.er) || (b.ec - a.ec));
  return hits[hits.length - 1].name;
});
process.exit(failures ? 1 : 0);
