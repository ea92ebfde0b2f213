#!/usr/bin/env node
// ts-auth-client.mjs: the TypeScript SDK's client (@modelcontextprotocol/sdk 1.27.1, as `setup` installs it) with its
// own OAuth machinery, against one gateway endpoint that demands a token, for the gateway's authentication tests.
//
//   node ts-auth-client.mjs URL CLIENT_ID CLIENT_SECRET
//
// `StreamableHTTPClientTransport` with the SDK's `ClientCredentialsProvider` (client_credentials,
// client_secret_basic): the first request gets 401, and the SDK follows the challenge's resource_metadata to the
// server's RFC 9728 document, from it to the authorization server's metadata, asks for a token (with the RFC 8707
// resource parameter) and retries. Then tools/list, tools/call echo, DELETE of the session and close. Prints:
//
//   tools: COUNT NAME NAME ...        (sorted)
//   echo: TEXT
//   token: YES|NO                      (whether the provider holds a token at the end)
//   done
//
// Exit 0 when every step answered, 1 otherwise (the error on stderr). Loads the SDK from $CONFORMANCE_DIR
// (default ${TMPDIR:-/tmp}/mcp-stdio-conformance), as ts-client.mjs does.

import { createRequire } from 'node:module';
import { join } from 'node:path';

const [url, clientId, clientSecret] = process.argv.slice(2);
if (!url || !clientId || !clientSecret) {
  console.error('usage: ts-auth-client.mjs URL CLIENT_ID CLIENT_SECRET');
  process.exit(2);
}
const CONFORMANCE_DIR = process.env.CONFORMANCE_DIR || join(process.env.TMPDIR || '/tmp', 'mcp-stdio-conformance');
const requireFromSetup = createRequire(join(CONFORMANCE_DIR, 'package.json'));
let Client, StreamableHTTPClientTransport, ClientCredentialsProvider;
try {
  ({ Client } = requireFromSetup('@modelcontextprotocol/sdk/client/index.js'));
  ({ StreamableHTTPClientTransport } = requireFromSetup('@modelcontextprotocol/sdk/client/streamableHttp.js'));
  ({ ClientCredentialsProvider } = requireFromSetup('@modelcontextprotocol/sdk/client/auth-extensions.js'));
} catch (error) {
  console.error(`ts-auth-client: cannot load @modelcontextprotocol/sdk from ${CONFORMANCE_DIR}/node_modules ` +
    `(${error.message.split('\n')[0]}); run gateway-conformance/setup first`);
  process.exit(2);
}

const timer = setTimeout(() => {
  console.error('ts-auth-client: no answer within 30 s');
  process.exit(1);
}, 30_000);

const provider = new ClientCredentialsProvider({ clientId, clientSecret, clientName: 'mcp-stdio-ts-auth-client' });
const client = new Client({ name: 'mcp-stdio-ts-auth-client', version: '1.0.0' }, { capabilities: {} });
const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  console.log(`tools: ${tools.length} ${tools.map((tool) => tool.name).sort().join(' ')}`);
  const echo = await client.callTool({ name: 'echo', arguments: { text: 'through OAuth' } });
  console.log(`echo: ${echo.content.filter((part) => part.type === 'text').map((part) => part.text).join(' ')}`);
  console.log(`token: ${(await provider.tokens())?.access_token ? 'YES' : 'NO'}`);
  await transport.terminateSession();
  await client.close();
  console.log('done');
  clearTimeout(timer);
  process.exit(0);
} catch (error) {
  console.error(`ts-auth-client: ${error.stack || error}`);
  process.exit(1);
}
