package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import dev.mcpstdio.fixture.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class BwrapCommandTests {

	private static final Path BWRAP = Path.of("/usr/bin/bwrap");

	@TempDir
	Path work;

	@Test
	void fileSystemIsReadOnlyButForTheWorkingDirectoryAllowWriteAndAPrivateTmp() {
		List<String> words = BwrapCommand.prefix(BWRAP,
				Sandboxes.sandbox(List.of("/data", "~/.npm"), List.of(), List.of("/data/keep"), List.of()), this.work,
				List.of(), null);
		assertThat(words).startsWith("/usr/bin/bwrap", "--die-with-parent", "--unshare-pid")
			.doesNotContain("--new-session")
			.endsWith("--chdir", this.work.toString(), "--");
		String joined = String.join(" ", words);
		assertThat(joined).contains("--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --bind-try " + this.work + " "
				+ this.work + " --bind-try /data /data --bind-try " + System.getProperty("user.home") + "/.npm "
				+ System.getProperty("user.home") + "/.npm --ro-bind-try /data/keep /data/keep");
		assertThat(words).contains("--unshare-net");
	}

	@Test
	void deniedDirectoryBecomesAnEmptyTmpfsAndAFileDevNullAndAMissingPathNothing() throws IOException {
		Path directory = Files.createDirectories(this.work.resolve("secrets"));
		Path file = Files.writeString(this.work.resolve("token"), "t");
		List<String> words = BwrapCommand.prefix(BWRAP,
				Sandboxes.sandbox(List.of(), List.of(directory.toString(), "token", "missing"), List.of(), List.of()),
				this.work, List.of(), null);
		String joined = String.join(" ", words);
		assertThat(joined).contains("--tmpfs " + directory).contains("--ro-bind /dev/null " + file);
		assertThat(joined).doesNotContain("missing");
	}

	@Test
	void filesOfTheCommandUnderTmpStayReadableInThePrivateTmp() throws IOException {
		Path script = Files.writeString(this.work.resolve("server.py"), "");
		Path classes = Files.createDirectories(this.work.resolve("classes"));
		List<String> words = BwrapCommand.prefix(BWRAP, Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of()),
				Path.of("/srv"),
				List.of("/usr/bin/python3", script.toString(), "-cp", classes + ":/usr/lib/x.jar", "/tmp/missing"),
				null);
		assertThat(this.work.toString()).startsWith("/tmp/");
		assertThat(String.join(" ", words)).contains("--tmpfs /tmp --ro-bind-try " + script + " " + script
				+ " --ro-bind-try " + classes + " " + classes + " --bind-try /srv /srv");
		assertThat(String.join(" ", words)).doesNotContain("missing").doesNotContain("/usr/lib/x.jar");
	}

	@Test
	void rootAsWorkingDirectoryStaysReadOnly() {
		List<String> words = BwrapCommand.prefix(BWRAP, Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of()),
				Path.of("/"), List.of(), null);
		assertThat(Collections.frequency(words, "--bind-try")).isZero();
	}

	@Test
	void anyDomainKeepsTheNetworkAndNamedDomainsGetTheProxyOnTheSandboxesLoopback() {
		assertThat(BwrapCommand.prefix(BWRAP, Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of("*")),
				this.work, List.of(), null))
			.doesNotContain("--unshare-net");
		BwrapCommand.Proxy proxy = new BwrapCommand.Proxy(this.work.resolve("proxy"), Path.of("/usr/bin/socat"),
				Path.of("/bin/sh"));
		List<String> words = BwrapCommand.prefix(BWRAP,
				Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of("example.com")), this.work, List.of(),
				proxy);
		assertThat(words).contains("--unshare-net");
		assertThat(String.join(" ", words)).contains("--bind " + this.work.resolve("proxy") + " /tmp/.mcp-stdio-proxy");
		assertThat(words.subList(words.size() - 4, words.size())).containsExactly("/bin/sh", "-c",
				"/usr/bin/socat TCP-LISTEN:3128,bind=127.0.0.1,fork,reuseaddr"
						+ " UNIX-CONNECT:/tmp/.mcp-stdio-proxy/proxy.sock 2>/dev/null & exec \"$@\"",
				"mcp-stdio-sandbox");
	}

}
