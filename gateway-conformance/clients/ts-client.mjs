#!/usr/bin/env node
// ts-client.mjs: a real MCP client of the TypeScript SDK (@modelcontextprotocol/sdk 1.27.1, as `setup` installs it)
// against one Streamable HTTP endpoint, for the gateway's client tests.
//
//   node ts-client.mjs URL
//
// The SDK's `Client` over `StreamableHTTPClientTransport`: initialize, tools/list, tools/call test_simple_text,
// tools/call test_tool_with_progress with a progress callback, then DELETE of the session (terminateSession) and
// close. Prints one line per step, `key: value`, for the test to compare:
//
//   server: NAME VERSION
//   protocol: VERSION
//   tools: COUNT NAME NAME ...          (sorted)
//   test_simple_text: TEXT
//   progress: P/T P/T ...               (the notifications the callback saw, in order)
//   test_tool_with_progress: TEXT
//   terminated: SESSION-ID-PRESENT
//   done
//
// Exit 0 when every step answered, 1 otherwise (the error on stderr). Loads the SDK from $CONFORMANCE_DIR
// (default ${TMPDIR:-/tmp}/mcp-stdio-conformance) through createRequire, as everything-server.mjs does.

import { createRequire } from 'node:module';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) {
  console.error('usage: ts-client.mjs URL');
  process.exit(2);
}
const CONFORMANCE_DIR = process.env.CONFORMANCE_DIR || join(process.env.TMPDIR || '/tmp', 'mcp-stdio-conformance');
const requireFromSetup = createRequire(join(CONFORMANCE_DIR, 'package.json'));
let Client, StreamableHTTPClientTransport;
try {
  ({ Client } = requireFromSetup('@modelcontextprotocol/sdk/client/index.js'));
  ({ StreamableHTTPClientTransport } = requireFromSetup('@modelcontextprotocol/sdk/client/streamableHttp.js'));
} catch (error) {
  console.error(`ts-client: cannot load @modelcontextprotocol/sdk from ${CONFORMANCE_DIR}/node_modules ` +
    `(${error.message.split('\n')[0]}); run gateway-conformance/setup first`);
  process.exit(2);
}

const textOf = (result) => result.content.filter((part) => part.type === 'text').map((part) => part.text).join(' ');
const timer = setTimeout(() => {
  console.error('ts-client: no answer within 30 s');
  process.exit(1);
}, 30_000);

const client = new Client({ name: 'mcp-stdio-ts-client', version: '1.0.0' }, { capabilities: {} });
const transport = new StreamableHTTPClientTransport(new URL(url));
try {
  await client.connect(transport);
  const info = client.getServerVersion();
  console.log(`server: ${info.name} ${info.version}`);
  console.log(`protocol: ${transport.protocolVersion}`);

  const { tools } = await client.listTools();
  console.log(`tools: ${tools.length} ${tools.map((tool) => tool.name).sort().join(' ')}`);

  const simple = await client.callTool({ name: 'test_simple_text', arguments: {} });
  console.log(`test_simple_text: ${textOf(simple)}`);

  const progress = [];
  const withProgress = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
    onprogress: ({ progress: done, total }) => progress.push(`${done}/${total}`),
  });
  console.log(`progress: ${progress.join(' ')}`);
  console.log(`test_tool_with_progress: ${textOf(withProgress)}`);

  const hadSession = transport.sessionId !== undefined;
  await transport.terminateSession();
  console.log(`terminated: ${hadSession && transport.sessionId === undefined}`);
  await client.close();
  console.log('done');
  clearTimeout(timer);
} catch (error) {
  console.error(`ts-client: ${error.stack ?? error}`);
  clearTimeout(timer);
  process.exitCode = 1;
  await client.close().catch(() => {});
}
