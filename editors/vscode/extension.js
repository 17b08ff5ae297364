// VS Code entry point for berth: starts `berth lsp` (diagnostics, completion,
// hover from the berth language server) over stdio for .berth files.
// Syntax highlighting is contributed statically by syntaxes/berth.tmLanguage.json
// and works without this file or the berth binary.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

async function startClient(context) {
  const config = vscode.workspace.getConfiguration('berth');
  if (!config.get('lsp.enabled', true)) {
    return;
  }
  const command = config.get('path', 'berth') || 'berth';
  const serverOptions = {
    run: { command, args: ['lsp'], transport: TransportKind.stdio },
    debug: { command, args: ['lsp'], transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'berth' }],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.berth'),
    },
  };
  client = new LanguageClient('berth', 'berth language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    vscode.window.showWarningMessage(
      `berth: could not start "${command} lsp" (${err && err.message ? err.message : err}). ` +
        'Highlighting still works; set "berth.path" to the berth executable for diagnostics and completion.'
    );
  }
}

async function stopClient() {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

async function activate(context) {
  await startClient(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('berth')) {
        await stopClient();
        await startClient(context);
      }
    }),
    vscode.commands.registerCommand('berth.restartServer', async () => {
      await stopClient();
      await startClient(context);
    })
  );
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
