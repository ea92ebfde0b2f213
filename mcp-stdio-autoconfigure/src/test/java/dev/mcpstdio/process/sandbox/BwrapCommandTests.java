package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.mcpstdio.fixture.Sandboxes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class BwrapCommandTests {

	private static final Path BWRAP = Path.of("/usr/bin/bwrap");

	@TempDir
	Path work;

	@BeforeEach
	void reachable() {
		// the sandbox's user, which bubblewrap runs as, reaches what it binds
		Sandboxes.writableBySandbox(List.of(this.work), this.work);
	}

	@Test
	void fileSystemIsReadOnlyButForTheWorkingDirectoryAllowWriteAndAPrivateTmp() throws IOException {
		Path data = Files.createDirectories(this.work.resolve("data/keep"));
		Path cache = Files.createDirectories(this.work.resolve("cache"));
		Path wd = Files.createDirectories(this.work.resolve("wd"));
		List<String> words = prefix(Sandboxes.sandbox(List.of(data.getParent().toString(), "../cache", "/nonexistent"),
				List.of(), List.of(data.toString()), List.of()), wd, List.of(), null);
		assertThat(words).doesNotContain("--new-session").endsWith("--chdir", wd.toString(), "--");
		String joined = String.join(" ", words);
		assertThat(joined).contains("--ro-bind / / --dev /dev --proc /proc --ro-bind /proc/sys /proc/sys"
				+ " --size 1048576 --tmpfs /tmp --size 1048576 --tmpfs /dev/shm --remount-ro /dev --bind-try " + wd
				+ " " + wd + " --bind-try " + data.getParent() + " " + data.getParent() + " --bind-try " + cache + " "
				+ cache + " --ro-bind-try " + data + " " + data);
		assertThat(joined).doesNotContain("nonexistent");
		assertThat(words).contains("--unshare-net");
	}

	@Test
	void aLinkInsideAWritablePathIsNeverBoundAndOneOutsideByWhereItLeads() throws IOException {
		Path wd = Files.createDirectories(this.work.resolve("wd"));
		Path target = Files.createDirectories(this.work.resolve("target"));
		Files.createSymbolicLink(wd.resolve("cache"), Path.of("../../../.."));
		Path link = Files.createSymbolicLink(this.work.resolve("data"), target);
		List<String> words = prefix(
				Sandboxes.sandbox(List.of("cache", link.toString()), List.of(), List.of(), List.of()), wd, List.of(),
				null);
		String joined = String.join(" ", words);
		assertThat(joined).doesNotContain("cache").contains("--bind-try " + target + " " + target);
	}

	@Test
	void writablePathInsideAnotherIsWritableThroughItAndNotBoundByName() throws IOException {
		Path wd = Files.createDirectories(this.work.resolve("wd"));
		Path cache = Files.createDirectories(wd.resolve("cache"));
		Path outer = Files.createDirectories(this.work.resolve("outer"));
		Path inner = Files.createDirectories(outer.resolve("inner"));
		String joined = String.join(" ", prefix(Sandboxes.sandbox(List.of("cache", inner.toString(), outer.toString()),
				List.of(), List.of(), List.of()), wd, List.of(), null));
		assertThat(joined).contains("--bind-try " + wd + " " + wd, "--bind-try " + outer + " " + outer)
			.doesNotContain(cache.toString())
			.doesNotContain(inner.toString());
	}

	@Test
	void directoriesAboveAProtectedPathInsideAWritableOneArePinned() throws IOException {
		Path app = Files.createDirectories(this.work.resolve("app"));
		Path file = Files.writeString(Files.createDirectories(app.resolve("config/prod")).resolve("application.yml"),
				"x");
		SandboxSettings settings = Sandboxes.sandbox(List.of(app.toString()), List.of(), List.of(file.toString()),
				List.of());
		Path wd = Files.createDirectories(this.work.resolve("wd"));
		String joined = String.join(" ", prefix(settings, wd, List.of(), null));
		assertThat(joined).contains("--bind-try " + app + " " + app + " --ro-bind-try " + app.resolve("config") + " "
				+ app.resolve("config") + " --ro-bind-try " + app.resolve("config/prod") + " "
				+ app.resolve("config/prod") + " --ro-bind-try " + file + " " + file);
	}

	@Test
	void sandboxHasNoCapabilityNoFurtherUserNamespaceAndTheFilterOpenedOnTheHost() {
		List<String> words = prefix(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of()), this.work, List.of(),
				null);
		assertThat(words).startsWith("/bin/sh", "-c", "f=$1; shift; exec \"$@\" 9<\"$f\"", "mcp-stdio-seccomp",
				"/run/filter.bpf", "/usr/bin/bwrap", "--die-with-parent", "--unshare-user", "--disable-userns",
				"--cap-drop", "ALL", "--unshare-pid");
		assertThat(String.join(" ", words)).endsWith("--seccomp 9 --chdir " + this.work + " --");
	}

	@Test
	void deniedDirectoryBecomesAnEmptyTmpfsAndAFileDevNullAndAMissingPathNothing() throws IOException {
		Path directory = Files.createDirectories(this.work.resolve("secrets"));
		Path file = Files.writeString(this.work.resolve("token"), "t");
		SandboxSettings settings = Sandboxes.sandbox(List.of(), List.of(directory.toString(), "token", "missing"),
				List.of(), List.of());
		List<String> words = BwrapCommand.prefix(BWRAP, settings,
				new BwrapCommand.Launch(this.work, this.work, List.of(this.work), List.of(),
						PathRules.of(settings, this.work, List.of(), List.of(this.work)), List.of(), 1 << 20,
						Path.of("/run/filter.bpf"), Path.of("/bin/sh")),
				null);
		String joined = String.join(" ", words);
		assertThat(joined).contains("--perms 0000 --tmpfs " + directory).contains("--ro-bind /dev/null " + file);
		assertThat(joined).doesNotContain("missing");
	}

	@Test
	void filesOfTheCommandUnderTmpStayReadableInThePrivateTmp() throws IOException {
		Path script = Files.writeString(this.work.resolve("server.py"), "");
		Path classes = Files.createDirectories(this.work.resolve("classes"));
		List<String> words = prefix(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of()), Path.of("/srv"),
				List.of("/usr/bin/python3", script.toString(), "-cp", classes + ":/usr/lib/x.jar", "/tmp/missing"),
				null);
		assertThat(this.work.toString()).startsWith("/tmp/");
		assertThat(String.join(" ", words)).contains("--remount-ro /dev --ro-bind-try " + script + " " + script
				+ " --ro-bind-try " + classes + " " + classes + " --bind-try /srv /srv");
		assertThat(String.join(" ", words)).doesNotContain("missing").doesNotContain("/usr/lib/x.jar");
	}

	@Test
	void rootAsWorkingDirectoryStaysReadOnly() {
		List<String> words = prefix(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of()), Path.of("/"),
				List.of(), null);
		assertThat(Collections.frequency(words, "--bind-try")).isZero();
	}

	@Test
	void onlyTheHostNetworkKeepsTheNetworkAndNamedDomainsGetTheProxyOutsideTheFilter() {
		assertThat(prefix(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of("*")), this.work, List.of(), null))
			.contains("--unshare-net");
		SandboxSettings host = new SandboxSettings(true, SandboxSettings.OnUnavailable.FAIL, List.of(), List.of(),
				List.of(), List.of(), List.of(), List.of(), List.of(), true, 64, List.of());
		assertThat(prefix(host, this.work, List.of(), null)).doesNotContain("--unshare-net");
		BwrapCommand.Proxy proxy = new BwrapCommand.Proxy(this.work.resolve("proxy"), Path.of("/usr/bin/socat"),
				Path.of("/bin/sh"));
		List<String> words = prefix(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of("example.com")),
				this.work, List.of(), proxy);
		assertThat(words).contains("--unshare-net").doesNotContain("--disable-userns", "--seccomp");
		assertThat(words.get(0)).isEqualTo("/usr/bin/bwrap");
		assertThat(String.join(" ", words)).contains("--ro-bind " + this.work.resolve("proxy")
				+ " /tmp/.mcp-stdio-proxy --ro-bind /run/filter.bpf" + " /tmp/.mcp-stdio-seccomp.bpf");
		assertThat(words.subList(words.size() - 4, words.size()))
			.containsExactly("/bin/sh", "-c", "'/usr/bin/socat' TCP-LISTEN:3128,bind=127.0.0.1,fork,reuseaddr"
					+ " UNIX-CONNECT:/tmp/.mcp-stdio-proxy/proxy.sock 2>/dev/null & exec '/usr/bin/bwrap'"
					+ " --die-with-parent --unshare-user --disable-userns --cap-drop ALL --dev-bind / / --ro-bind /proc/sys /proc/sys --seccomp 9"
					+ " -- \"$@\" 9</tmp/.mcp-stdio-seccomp.bpf", "mcp-stdio-sandbox");
	}

	@Test
	void pathsAsUsersWriteThemResolveTheHomeAndTheBase() {
		String home = System.getProperty("user.home");
		assertThat(BwrapCommand.Paths.of("~/.npm", Path.of("/srv"))).isEqualTo(Path.of(home, ".npm"));
		assertThat(BwrapCommand.Paths.of("~", Path.of("/srv"))).isEqualTo(Path.of(home));
		assertThat(BwrapCommand.Paths.of("data/../out", Path.of("/srv"))).isEqualTo(Path.of("/srv/out"));
	}

	@Test
	void quotedWordsSurviveTheShell() {
		assertThat(BwrapCommand.quote("/opt/it's here/socat")).isEqualTo("'/opt/it'\\''s here/socat'");
	}

	private static List<String> prefix(SandboxSettings settings, Path workingDirectory, List<String> command,
			BwrapCommand.@Nullable Proxy proxy) {
		List<Path> writable = new ArrayList<>(List.of(workingDirectory));
		settings.allowWrite().forEach((path) -> writable.add(BwrapCommand.Paths.of(path, workingDirectory)));
		BwrapCommand.Launch launch = new BwrapCommand.Launch(workingDirectory, workingDirectory, writable, command,
				PathRules.of(settings, Path.of("/nonexistent-base"), List.of(), List.of()), List.of(), 1 << 20,
				Path.of("/run/filter.bpf"), Path.of("/bin/sh"));
		return BwrapCommand.prefix(BWRAP, settings, launch, proxy);
	}

}
