// Token-class agreement check for the TextMate grammar: tokenizes
// editors/fixtures/all.berth with vscode-textmate (the engine VS Code uses)
// and compares the innermost non-meta scope at each position in
// editors/fixtures/token-classes.json with the class's TextMate names.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const classes = require('../../fixtures/classes-lib.js');

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s) => new oniguruma.OnigScanner(s),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.berth') return null;
      const file = path.join(__dirname, '..', 'syntaxes', 'berth.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.berth');
  const { lines } = classes.load();
  const tokens = [];
  let state = vsctm.INITIAL;
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    tokens.push(r.tokens);
    state = r.ruleStack;
  }
  const failures = classes.run('textmate', (line, col) => {
    const tok = tokens[line].find((t) => t.startIndex <= col && col < t.endIndex);
    if (!tok) return '(no token)';
    // meta.* and source.* only group; the `#` and `"` delimiters carry a
    // punctuation.definition scope inside their comment / string scope.
    const inner = tok.scopes.filter(
      (s) =>
        !s.startsWith('meta.') &&
        !s.startsWith('source.') &&
        !s.startsWith('punctuation.definition.comment.') &&
        !s.startsWith('punctuation.definition.string.'),
    );
    return inner.length ? inner[inner.length - 1] : '(only ' + tok.scopes.join(' ') + ')';
  });
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
