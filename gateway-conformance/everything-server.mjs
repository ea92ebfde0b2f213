#!/usr/bin/env node
// everything-server.mjs: the project's own MCP test server, implementing what the scenarios of the MCP conformance
// suite (@modelcontextprotocol/conformance 0.1.16, server mode) call: the tools, resources, prompts, completion and
// logging of the 30 active scenarios and of the 2 pending ones (json-schema-2020-12, server-sse-polling).
//
//   node everything-server.mjs              stdio (newline-delimited JSON-RPC on stdin/stdout; logs on stderr only)
//   node everything-server.mjs --http PORT  Streamable HTTP at http://localhost:PORT/mcp (PORT also from $PORT),
//                                           to check the server itself against the suite without the gateway
//
// Runs on the Node 22 that `setup` installs (Node 20.20 works too), with the @modelcontextprotocol/sdk 1.27.1 and
// zod 4.3.6 it installs, loaded from $CONFORMANCE_DIR/node_modules (default ${TMPDIR:-/tmp}/mcp-stdio-conformance,
// the default of `setup`). An ES module resolves bare imports from its own directory only (NODE_PATH is ignored), so
// they are loaded through a require function rooted in that directory (createRequire): the SDK's CommonJS build,
// the same API as its ES modules.
//
// The server uses the SDK's low-level `Server` with request handlers of its own, so that every schema and result
// below is exactly what goes on the wire (tools/list keeps `$schema`, `$defs`, `additionalProperties` as written).
// Messages a tool sends while it runs (log messages, progress, sampling and elicitation requests) go through the
// handler's `extra`, so they are related to the call: over HTTP they travel on the call's POST stream, ahead of
// the result. Nothing here runs on a timer of its own: no traffic but answers and what a running tool sends.

import { createRequire } from 'node:module';
import { createServer as createHttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

// Only JSON-RPC may reach stdout in stdio mode: whatever calls console.log/info/debug writes to stderr instead.
console.log = console.info = console.debug = (...args) => console.error(...args);
const log = (message) => process.stderr.write(`everything-server: ${message}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Loading the SDK and zod from the setup directory
// ---------------------------------------------------------------------------------------------------------------
const CONFORMANCE_DIR = process.env.CONFORMANCE_DIR || join(process.env.TMPDIR || '/tmp', 'mcp-stdio-conformance');
const requireFromSetup = createRequire(join(CONFORMANCE_DIR, 'package.json'));
let sdk, z;
try {
  ({ z } = requireFromSetup('zod'));
  sdk = {
    ...requireFromSetup('@modelcontextprotocol/sdk/types.js'),
    ...requireFromSetup('@modelcontextprotocol/sdk/server/index.js'),
    ...requireFromSetup('@modelcontextprotocol/sdk/server/stdio.js'),
    ...requireFromSetup('@modelcontextprotocol/sdk/server/streamableHttp.js'),
  };
} catch (error) {
  log(`cannot load @modelcontextprotocol/sdk and zod from ${CONFORMANCE_DIR}/node_modules ` +
    `(${error.message.split('\n')[0]}); run gateway-conformance/setup first, or set CONFORMANCE_DIR to the ` +
    'directory it installed into');
  process.exit(2);
}
const {
  Server, StdioServerTransport, StreamableHTTPServerTransport, McpError, ErrorCode, isInitializeRequest,
  ListToolsRequestSchema, CallToolRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema, ListPromptsRequestSchema,
  GetPromptRequestSchema, CompleteRequestSchema, SetLevelRequestSchema, CreateMessageResultSchema, ElicitResultSchema,
} = sdk;

const SERVER_INFO = { name: 'mcp-stdio-everything-server', version: '1.0.0' };
const RESOURCE_NOT_FOUND = -32002; // the MCP spec's error code for an unknown resource URI
const SSE_RETRY_MS = 500; // the `retry:` the HTTP transport puts in its priming events
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// Media: a 1x1 red PNG and a short WAV tone, built here rather than pasted as opaque base64
// ---------------------------------------------------------------------------------------------------------------
function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function redPixelPng() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), compression 0, filter method 0, no interlace
  const scanline = Buffer.from([0, 255, 0, 0]); // filter byte 0, then one red pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(scanline)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
function toneWav(hz = 440, seconds = 0.05, rate = 8000) {
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  }
  return wav;
}
const PNG_BASE64 = redPixelPng().toString('base64');
const WAV_BASE64 = toneWav().toString('base64');

// ---------------------------------------------------------------------------------------------------------------
// Tools (scenarios tools-*, json-schema-2020-12, elicitation-sep1034-defaults, elicitation-sep1330-enums,
// server-sse-polling). Each has `args`, a zod schema that validates the call's arguments, and an inputSchema: the
// JSON Schema of `args` (zod 4's toJSONSchema, draft 2020-12) unless the tool writes its own.
// ---------------------------------------------------------------------------------------------------------------
const NO_ARGS = z.object({});
const text = (value) => ({ type: 'text', text: value });
const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

// Sends a request to the client in the course of a tool call, after checking that the client declared the
// capability it needs (sampling, elicitation). Returns the parsed result, or throws.
async function askClient(server, extra, capability, method, params, resultSchema) {
  if (!server.getClientCapabilities()?.[capability]) {
    throw new Error(`the client did not declare the ${capability} capability`);
  }
  return extra.sendRequest({ method, params }, resultSchema);
}
const elicit = (session, extra, params) =>
  askClient(session.server, extra, 'elicitation', 'elicitation/create', params, ElicitResultSchema);
const describeElicitation = (result) =>
  `action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;

const TOOLS = [
  // tools-call-simple-text, tools-call-image, tools-call-audio, tools-call-embedded-resource, tools-call-mixed-content
  {
    name: 'test_simple_text',
    description: 'Returns a simple text content',
    run: async () => ({ content: [text('This is a simple text response for testing.')] }),
  },
  {
    name: 'test_image_content',
    description: 'Returns an image content: a 1x1 red PNG',
    run: async () => ({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns an audio content: a 50 ms WAV tone',
    run: async () => ({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource',
    run: async () => ({
      content: [{
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.',
        },
      }],
    }),
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, image and embedded resource contents in one result',
    run: async () => ({
      content: [
        text('Multiple content types test:'),
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  },

  // tools-call-with-logging: three info messages, 50 ms apart, before the result (subject to logging/setLevel).
  {
    name: 'test_tool_with_logging',
    description: 'Sends three log messages (level info) while it runs',
    run: async (_args, { session, extra }) => {
      const messages = ['Tool execution started', 'Tool processing data', 'Tool execution completed'];
      for (const [i, data] of messages.entries()) {
        if (i > 0) await sleep(50);
        await session.log(extra, 'info', data);
      }
      return { content: [text('Tool with logging executed successfully')] };
    },
  },

  // tools-call-error: a tool execution error, reported in the result, not as a JSON-RPC error.
  {
    name: 'test_error_handling',
    description: 'Always fails, with isError: true',
    run: async () => ({ isError: true, content: [text('This tool intentionally returns an error for testing')] }),
  },

  // tools-call-with-progress: progress 0, 50, 100 of 100, 50 ms apart, under the request's progressToken.
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100 when the call carries a progressToken',
    run: async (_args, { extra }) => {
      const progressToken = extra._meta?.progressToken;
      for (const [i, progress] of [0, 50, 100].entries()) {
        if (i > 0) await sleep(50);
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `Completed step ${i + 1} of 3` },
          });
        }
      }
      return {
        content: [text(progressToken === undefined
          ? 'Progress tool completed (no progressToken, no progress sent)'
          : `Progress tool completed (progressToken: ${progressToken})`)],
      };
    },
  },

  // tools-call-sampling: sampling/createMessage to the client, its answer in the result.
  {
    name: 'test_sampling',
    description: 'Asks the client for an LLM completion of the prompt (sampling/createMessage)',
    args: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    run: async ({ prompt }, { session, extra }) => {
      const result = await askClient(session.server, extra, 'sampling', 'sampling/createMessage', {
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 100,
      }, CreateMessageResultSchema);
      const blocks = Array.isArray(result.content) ? result.content : [result.content];
      const answer = blocks.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join(' ');
      return { content: [text(`LLM response: ${answer}`)] };
    },
  },

  // tools-call-elicitation: elicitation/create with a username/email form.
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and an email address (elicitation/create)',
    args: z.object({ message: z.string().describe('The message to show the user') }),
    run: async ({ message }, { session, extra }) => {
      const result = await elicit(session, extra, {
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      return { content: [text(`User response: ${describeElicitation(result)}`)] };
    },
  },

  // elicitation-sep1034-defaults: a form whose fields all carry a default (string, integer, number, enum, boolean).
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation with a default value for every primitive type (SEP-1034)',
    run: async (_args, { session, extra }) => {
      const result = await elicit(session, extra, {
        message: 'Please review your profile; every field has a default',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        },
      });
      return { content: [text(`Elicitation completed: ${describeElicitation(result)}`)] };
    },
  },

  // elicitation-sep1330-enums: the five enum forms of SEP-1330.
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with the five enum schema variants (SEP-1330)',
    run: async (_args, { session, extra }) => {
      const result = await elicit(session, extra, {
        message: 'Please pick from each of these lists',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: {
              type: 'string', title: 'Untitled single-select', enum: ['option1', 'option2', 'option3'],
            },
            titledSingle: {
              type: 'string',
              title: 'Titled single-select',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              title: 'Legacy titled enum',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: {
              type: 'array',
              title: 'Untitled multi-select',
              items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            },
            titledMulti: {
              type: 'array',
              title: 'Titled multi-select',
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
          required: [],
        },
      });
      return { content: [text(`Elicitation completed: ${describeElicitation(result)}`)] };
    },
  },

  // json-schema-2020-12 (pending): an inputSchema written out, with $schema, $defs and additionalProperties,
  // to show that they reach the client as written.
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
    args: z.strictObject({
      name: z.string().optional(),
      address: z.object({ street: z.string().optional(), city: z.string().optional() }).optional(),
    }),
    run: async (args) => ({ content: [text(`Received: ${JSON.stringify(args)}`)] }),
  },

  // server-sse-polling (pending): over HTTP, for a client at protocol 2025-11-25 (which got a priming event with an
  // event id), closes the call's SSE stream before answering; the client reconnects with GET and Last-Event-ID
  // after `retry` ms and gets the result replayed from the event store. The transport offers closeSSEStream only
  // then; otherwise (stdio, older protocol versions, as the suite's raw 2025-03-26 request) it just answers late.
  {
    name: 'test_reconnection',
    description: 'Closes the SSE stream of the call before its result, so the client must reconnect (SEP-1699)',
    run: async (_args, { extra }) => {
      if (extra.closeSSEStream) {
        extra.closeSSEStream();
        await sleep(SSE_RETRY_MS + 1500); // the result must find the client's GET stream, else it is lost
      } else {
        await sleep(100);
      }
      return { content: [text('Reconnection test completed successfully')] };
    },
  },
];
for (const tool of TOOLS) {
  tool.args ??= NO_ARGS;
  tool.inputSchema ??= z.toJSONSchema(tool.args, { io: 'input' });
}
const TOOLS_BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

// ---------------------------------------------------------------------------------------------------------------
// Resources (scenarios resources-*): three direct resources and one template.
// ---------------------------------------------------------------------------------------------------------------
const RESOURCES = [
  {
    uri: 'test://static-text', name: 'static-text', mimeType: 'text/plain',
    description: 'A static text resource',
    read: () => ({ text: 'This is the content of the static text resource.' }),
  },
  {
    uri: 'test://static-binary', name: 'static-binary', mimeType: 'image/png',
    description: 'A static binary resource: a 1x1 red PNG',
    read: () => ({ blob: PNG_BASE64 }),
  },
  {
    uri: 'test://watched-resource', name: 'watched-resource', mimeType: 'text/plain',
    description: 'A resource to subscribe to (it does not change on its own)',
    read: () => ({ text: 'This is the content of the watched resource.' }),
  },
];
const TEMPLATE = {
  uriTemplate: 'test://template/{id}/data', name: 'template-data', mimeType: 'application/json',
  description: 'Data for an id, substituted into the URI',
  match: /^test:\/\/template\/([^/]+)\/data$/,
  read: (id) => ({ text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }),
};
const describeResource = ({ read, match, ...listed }) => listed;

// ---------------------------------------------------------------------------------------------------------------
// Prompts (scenarios prompts-*) and the completion of their arguments (completion-complete).
// ---------------------------------------------------------------------------------------------------------------
const PROMPTS = [
  {
    name: 'test_simple_prompt',
    description: 'A prompt without arguments',
    arguments: [],
    get: () => [{ role: 'user', content: text('This is a simple prompt for testing.') }],
  },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two arguments substituted into its text',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    get: ({ arg1, arg2 }) => [{ role: 'user', content: text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`) }],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt embedding the resource named by its argument',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    get: ({ resourceUri }) => [
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
        },
      },
      { role: 'user', content: text('Please process the embedded resource above.') },
    ],
  },
  {
    name: 'test_prompt_with_image',
    description: 'A prompt with an image',
    arguments: [],
    get: () => [
      { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: text('Please analyze the image above.') },
    ],
  },
];
const PROMPTS_BY_NAME = new Map(PROMPTS.map((prompt) => [prompt.name, prompt]));

// Completion candidates per prompt argument and per template variable; values starting with the typed prefix.
const COMPLETIONS = {
  'ref/prompt': {
    test_prompt_with_arguments: {
      arg1: ['paris', 'park', 'party', 'test', 'testing'],
      arg2: ['hello', 'help', 'world', 'test'],
    },
    test_prompt_with_embedded_resource: { resourceUri: RESOURCES.map((resource) => resource.uri) },
  },
  'ref/resource': { [TEMPLATE.uriTemplate]: { id: ['1', '123', '456', '789'] } },
};

// ---------------------------------------------------------------------------------------------------------------
// One MCP server per session (the stdio process, or one HTTP session)
// ---------------------------------------------------------------------------------------------------------------
function createSession() {
  const server = new Server(SERVER_INFO, {
    capabilities: {
      tools: {},
      resources: { subscribe: true },
      prompts: {},
      completions: {},
      logging: {},
    },
    instructions: 'Test server of the mcp-stdio project for the MCP conformance suite.',
  });
  const session = {
    server,
    logLevel: undefined, // none set: every level is sent
    subscriptions: new Set(),
    // A log message related to the running request `extra` (so it travels with the call), if the level allows.
    async log(extra, level, data) {
      if (this.logLevel && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.logLevel)) return;
      await extra.sendNotification({ method: 'notifications/message', params: { level, data } });
    },
  };
  server.onerror = (error) => log(`error: ${error.message}`);

  // logging-set-level, tools-call-with-logging
  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    session.logLevel = request.params.level;
    return {};
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = TOOLS_BY_NAME.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const parsed = tool.args.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return { isError: true, content: [text(`Invalid arguments for ${tool.name}: ${z.prettifyError(parsed.error)}`)] };
    }
    try {
      return await tool.run(parsed.data, { session, extra });
    } catch (error) {
      return { isError: true, content: [text(`${tool.name} failed: ${error.message}`)] };
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES.map(describeResource) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [describeResource(TEMPLATE)],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    const resource = RESOURCES.find((candidate) => candidate.uri === uri);
    if (resource) return { contents: [{ uri, mimeType: resource.mimeType, ...resource.read() }] };
    const match = TEMPLATE.match.exec(uri);
    if (match) {
      return { contents: [{ uri, mimeType: TEMPLATE.mimeType, ...TEMPLATE.read(decodeURIComponent(match[1])) }] };
    }
    throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
  });
  // resources-subscribe, resources-unsubscribe: the URIs are kept; no resource here changes, so no update is sent.
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    session.subscriptions.add(request.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    session.subscriptions.delete(request.params.uri);
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: PROMPTS.map(({ name, description, arguments: args }) => ({ name, description, arguments: args })),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const prompt = PROMPTS_BY_NAME.get(request.params.name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = prompt.arguments.filter((arg) => arg.required && args[arg.name] === undefined);
    if (missing.length > 0) {
      const names = missing.map((arg) => arg.name).join(', ');
      throw new McpError(ErrorCode.InvalidParams, `Missing required arguments: ${names}`);
    }
    return { description: prompt.description, messages: prompt.get(args) };
  });

  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument } = request.params;
    const candidates = COMPLETIONS[ref.type]?.[ref.type === 'ref/prompt' ? ref.name : ref.uri]?.[argument.name] ?? [];
    const values = candidates.filter((value) => value.startsWith(argument.value ?? ''));
    return { completion: { values, total: values.length, hasMore: false } };
  });

  return session;
}

// ---------------------------------------------------------------------------------------------------------------
// stdio mode
// ---------------------------------------------------------------------------------------------------------------
async function serveStdio() {
  const { server } = createSession();
  const transport = new StdioServerTransport();
  // The client closing our stdin ends the session, even with a tool still waiting for the client.
  process.stdin.once('end', () => server.close().finally(() => process.exit(0)));
  await server.connect(transport);
  log(`serving MCP on stdio (pid ${process.pid})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Streamable HTTP mode: stateful sessions, resumable streams, DNS rebinding protection
// ---------------------------------------------------------------------------------------------------------------

// Event store for resumability: the events of each stream (a POST's, or the GET stream), so that a GET with
// Last-Event-ID replays what followed on the same stream. Event ids are "<streamId>::<sequence number>".
class MemoryEventStore {
  static MAX_EVENTS_PER_STREAM = 1000;
  #streams = new Map(); // streamId -> [{ eventId, message }]
  #sequence = 0;

  async storeEvent(streamId, message) {
    const eventId = `${streamId}::${++this.#sequence}`;
    const events = this.#streams.get(streamId) ?? [];
    events.push({ eventId, message });
    if (events.length > MemoryEventStore.MAX_EVENTS_PER_STREAM) events.shift();
    this.#streams.set(streamId, events);
    return eventId;
  }

  async getStreamIdForEventId(eventId) {
    const at = eventId.lastIndexOf('::');
    return at > 0 ? eventId.slice(0, at) : undefined;
  }

  async replayEventsAfter(lastEventId, { send }) {
    const streamId = await this.getStreamIdForEventId(lastEventId);
    if (!streamId) return '';
    const events = this.#streams.get(streamId) ?? [];
    const after = events.findIndex((event) => event.eventId === lastEventId);
    for (const { eventId, message } of after < 0 ? [] : events.slice(after + 1)) {
      if (message?.jsonrpc) await send(eventId, message); // the priming event's placeholder is no message
    }
    return streamId;
  }
}

function jsonRpcError(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

async function readJsonBody(req, limit = 4 * 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('Parse error: invalid JSON'), { status: 400, code: -32700 });
  }
}

async function serveHttp(port) {
  // DNS rebinding protection: Host must name this server on a loopback name with its port, and an Origin, when
  // sent, must be one of those origins; anything else gets 403 before any session exists.
  const allowedHosts = ['localhost', '127.0.0.1', '[::1]']
    .flatMap((host) => (port === 80 ? [host, `${host}:80`] : [`${host}:${port}`]));
  const allowedOrigins = allowedHosts.map((host) => `http://${host}`);
  const foreignHostOrOrigin = (req) => {
    const host = req.headers.host?.toLowerCase();
    if (!host || !allowedHosts.includes(host)) return `Invalid Host: ${req.headers.host ?? '(none)'}`;
    const origin = req.headers.origin?.toLowerCase();
    if (origin !== undefined && !allowedOrigins.includes(origin)) return `Invalid Origin: ${req.headers.origin}`;
    return undefined;
  };

  const sessions = new Map(); // Mcp-Session-Id -> { transport, server }

  async function handle(req, res) {
    if (new URL(req.url, 'http://localhost').pathname !== '/mcp') {
      return jsonRpcError(res, 404, -32000, 'Not found: the MCP endpoint is /mcp');
    }
    const rejection = foreignHostOrOrigin(req);
    if (rejection) return jsonRpcError(res, 403, -32000, rejection);

    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      if (!session) return jsonRpcError(res, 404, -32001, 'Session not found');
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    }

    // A new session: its own Server and transport, found again by the session id the transport generates.
    const session = createSession();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new MemoryEventStore(),
      retryInterval: SSE_RETRY_MS,
      onsessioninitialized: (id) => sessions.set(id, { transport, server: session.server }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await session.server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  const onRequest = (req, res) => {
    handle(req, res).catch((error) => {
      if (!error.status) log(`HTTP ${req.method} ${req.url}: ${error.stack ?? error.message}`);
      if (!res.headersSent) jsonRpcError(res, error.status ?? 500, error.code ?? -32603, error.message);
      else res.end();
    });
  };

  // Loopback only: 127.0.0.1, and ::1 where the machine has IPv6.
  const listeners = [];
  for (const host of ['127.0.0.1', '::1']) {
    const httpServer = createHttpServer(onRequest);
    try {
      await new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, resolve);
      });
      listeners.push(httpServer);
    } catch (error) {
      if (host === '127.0.0.1' || !['EADDRNOTAVAIL', 'EAFNOSUPPORT'].includes(error.code)) throw error;
    }
  }
  log(`serving MCP (Streamable HTTP) at http://localhost:${port}/mcp (pid ${process.pid})`);

  const shutdown = async () => {
    await Promise.allSettled([...sessions.values()].map(({ server }) => server.close()));
    for (const httpServer of listeners) httpServer.closeAllConnections?.();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

// ---------------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
if (argv[0] === '--http') {
  const port = Number(argv[1] ?? process.env.PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    log('usage: everything-server.mjs [--http PORT]   (PORT from the argument or $PORT)');
    process.exit(2);
  }
  await serveHttp(port);
} else if (argv.length === 0) {
  await serveStdio();
} else {
  log('usage: everything-server.mjs [--http PORT]   (no argument: stdio)');
  process.exit(2);
}
