package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UnixSocketsTests {

	@TempDir
	Path work;

	@Test
	void listeningSocketsOtherThanTheAllowedOnesAreHidden() throws IOException {
		Path a = this.work.resolve("a.sock");
		Path b = this.work.resolve("b.sock");
		Files.createFile(a);
		Files.createFile(b);
		Path table = Files.writeString(this.work.resolve("unix"), """
				Num       RefCount Protocol Flags    Type St Inode Path
				0000000000000000: 00000002 00000000 00010000 0001 01 1001 %s
				0000000000000000: 00000002 00000000 00010000 0001 01 1002 %s
				0000000000000000: 00000002 00000000 00010000 0001 01 1003 @abstract
				0000000000000000: 00000003 00000000 00000000 0001 03 1004
				0000000000000000: 00000002 00000000 00010000 0001 01 1005 /gone/c.sock
				""".formatted(a, b));
		assertThat(UnixSockets.hidden(table, List.of(b))).containsExactly(a);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aSocketThisJvmListensOnIsFoundInTheHostsTable() throws IOException {
		Path socket = this.work.resolve("mine.sock");
		try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.bind(UnixDomainSocketAddress.of(socket));
			assertThat(UnixSockets.hidden(List.of())).contains(socket);
			assertThat(UnixSockets.hidden(UnixSockets.allowed(List.of(socket.toString()), this.work)))
				.doesNotContain(socket);
		}
	}

}
