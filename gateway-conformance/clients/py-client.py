"""py-client.py: a real MCP client of the Python SDK (mcp 2.3.0, as `setup --clients` installs it into DIR/python)
against one Streamable HTTP endpoint, for the gateway's client tests.

    DIR/python/bin/python py-client.py URL

The SDK's default client for a URL, `mcp.Client(URL)` (its `streamable_http_client` transport, connect mode
"auto": it probes `server/discover` and falls back to `initialize`): tools/list, tools/call test_simple_text,
tools/call test_tool_with_progress with a progress callback; leaving the client's context DELETEs the session.
Prints one line per step, `key: value`, for the test to compare:

    server: NAME VERSION
    protocol: VERSION
    tools: COUNT NAME NAME ...          (sorted)
    test_simple_text: TEXT
    progress: P/T P/T ...               (the notifications the callback saw, in order)
    test_tool_with_progress: TEXT
    done

Exit 0 when every step answered, 1 otherwise (the error on stderr); 30 s at most.
"""

import sys

import anyio
from mcp import Client


def text_of(result):
    return " ".join(part.text for part in result.content if part.type == "text")


async def main(url):
    with anyio.fail_after(30):
        await session(url)
    print("done", flush=True)


async def session(url):
    async with Client(url) as client:
        info = client.server_info
        print(f"server: {info.name} {info.version}" if info else "server: (anonymous)", flush=True)
        print(f"protocol: {client.protocol_version}", flush=True)

        tools = (await client.list_tools()).tools
        print(f"tools: {len(tools)} {' '.join(sorted(tool.name for tool in tools))}", flush=True)

        simple = await client.call_tool("test_simple_text", {})
        print(f"test_simple_text: {text_of(simple)}", flush=True)

        progress = []

        async def on_progress(done, total, message):
            progress.append(f"{done:g}/{total:g}")

        with_progress = await client.call_tool("test_tool_with_progress", {}, progress_callback=on_progress)
        print(f"progress: {' '.join(progress)}", flush=True)
        print(f"test_tool_with_progress: {text_of(with_progress)}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: py-client.py URL", file=sys.stderr)
        sys.exit(2)
    try:
        anyio.run(main, sys.argv[1])
    except BaseException as error:  # noqa: BLE001 - any failure is the test's to report
        print(f"py-client: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
