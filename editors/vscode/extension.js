// The qualify extension: starts `qualify lsp` (from the PATH, or the
// `qualify.path` setting) and hands it the `qualify.sample` setting. Plain
// JavaScript, so there is no build step: `npm ci` and it runs.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function settings() {
  const config = vscode.workspace.getConfiguration('qualify');
  return {
    path: config.get('path') || 'qualify',
    sample: config.get('sample') || '',
  };
}

async function start() {
  const { path, sample } = settings();
  const server = { command: path, args: ['lsp'] };
  client = new LanguageClient(
    'qualify',
    'qualify',
    { run: server, debug: server },
    {
      documentSelector: [{ language: 'lead' }],
      initializationOptions: { sample },
      // Sends `workspace/didChangeConfiguration` with the `qualify` section.
      synchronize: { configurationSection: 'qualify' },
    },
  );
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `qualify: could not start \`${path} lsp\` (${err.message}). ` +
        'Install qualify, or set `qualify.path` to where it is.',
    );
  }
}

async function activate(context) {
  await start();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new program needs a new server; the sample is sent as a setting.
      if (event.affectsConfiguration('qualify.path')) {
        if (client) {
          await client.stop();
        }
        await start();
      }
    }),
  );
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate };
