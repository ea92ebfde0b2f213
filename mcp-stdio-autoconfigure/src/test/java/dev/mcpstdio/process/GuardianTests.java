package dev.mcpstdio.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guardian's script, fed its protocol and then EOF, removes the containers it still
 * tracks with each engine's own arguments.
 */
@EnabledOnOs(OS.LINUX)
class GuardianTests {

	@TempDir
	Path dir;

	@Test
	void atEofRemovesTheContainersStillTrackedByTheirRunLabel() throws Exception {
		Path log = this.dir.resolve("calls.log");
		Path engine = this.dir.resolve("fake engine");
		Files.writeString(engine, """
				#!/bin/sh
				echo "$@" >> '%s'
				[ "$1" = ps ] && echo "id-of-${6#label=dev.mcpstdio.run=}"
				exit 0
				""".formatted(log));
		Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwx------"));
		Process guardian = new ProcessBuilder("sh", "-c", Guardian.SCRIPT, "guardian").start();
		guardian.getOutputStream()
			.write(("c+ a podman " + engine + "\nc+ b docker " + engine + "\nc+ c docker " + engine + "\nc- b\n")
				.getBytes(StandardCharsets.US_ASCII));
		guardian.getOutputStream().close();
		guardian.waitFor();
		assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder(
				"ps -a -q --no-trunc --filter label=dev.mcpstdio.run=a",
				"ps -a -q --no-trunc --filter label=dev.mcpstdio.run=c", "rm -f -t 0 id-of-a", "rm -f id-of-c");
		assertThat(guardian.exitValue()).isZero();
	}

}
