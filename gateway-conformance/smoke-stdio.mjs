#!/usr/bin/env node
// Checks that a stdio MCP server speaks MCP: starts the command given as arguments, sends initialize,
// notifications/initialized and tools/list as newline-delimited JSON-RPC on its stdin, and prints the two
// answers (stdout of the server) as JSON. The server's stderr passes through to ours. No dependencies.
//   node smoke-stdio.mjs COMMAND [ARG...]
// Exits 0 when both answers came and tools/list listed at least one tool, 1 otherwise (10 s limit).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: smoke-stdio.mjs COMMAND [ARG...]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const send = (message) => child.stdin.write(JSON.stringify(message) + '\n');
const answers = new Map();
let failure;

const finish = (code) => {
  clearTimeout(timer);
  child.stdin.end();
  child.kill('SIGTERM');
  process.exitCode = code;
};
const timer = setTimeout(() => {
  console.error(`smoke-stdio: no complete answer within 10 s (got ids ${[...answers.keys()].join(', ') || 'none'})`);
  finish(1);
}, 10_000);

child.on('error', (error) => {
  console.error(`smoke-stdio: cannot start ${command}: ${error.message}`);
  finish(1);
});
child.on('exit', (code, signal) => {
  if (answers.size < 2 && process.exitCode === undefined) {
    console.error(`smoke-stdio: server exited (${signal ?? code}) before answering`);
    finish(1);
  }
});

createInterface({ input: child.stdout }).on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    failure = `not JSON-RPC on stdout: ${line.slice(0, 200)}`;
    console.error(`smoke-stdio: ${failure}`);
    return;
  }
  if (message.id === undefined || message.method !== undefined) {
    console.log(JSON.stringify({ unsolicited: message }));
    return;
  }
  answers.set(message.id, message);
  console.log(JSON.stringify(message, null, 2));
  if (message.id === 1) {
    if (message.error) {
      console.error('smoke-stdio: initialize failed');
      return finish(1);
    }
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  } else if (message.id === 2) {
    const tools = message.result?.tools ?? [];
    console.error(`smoke-stdio: ${message.result?.tools ? tools.length + ' tools' : 'tools/list failed'}` +
      (failure ? `; ${failure}` : ''));
    finish(tools.length > 0 && !failure ? 0 : 1);
  }
});

send({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: { sampling: {}, elicitation: {} },
    clientInfo: { name: 'mcp-stdio-smoke', version: '1.0.0' }
  }
});
