package dev.mcpstdio.process.orphan;

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
 * tracks with each engine's own arguments, and the engine variables and global options of
 * the server's command.
 */
@EnabledOnOs(OS.LINUX)
class GuardianTests {

	@TempDir
	Path dir;

	@Test
	void atEofRemovesTheContainersStillTrackedWithTheServersEngineVariablesAndGlobalOptions() throws Exception {
		Path log = this.dir.resolve("calls.log");
		Path engine = this.dir.resolve("fake engine");
		Files.writeString(engine, """
				#!/bin/sh
				echo "${DOCKER_HOST:-default}${DOCKER_CONTEXT:+ context $DOCKER_CONTEXT}" "$@" >> '%s'
				eval "last=\\${$#}"
				case "$*" in *" ps "*|"ps "*) echo "id-of-${last#label=dev.mcpstdio.run=}" ;; esac
				exit 0
				""".formatted(log));
		Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwx------"));
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", Guardian.SCRIPT, "guardian");
		// set in the guardian's environment: unset for the server that did not have it,
		// kept for those that did not say
		builder.environment().put("DOCKER_CONTEXT", "from-the-jvm");
		Process guardian = builder.start();
		String plain = "-- " + Guardian.shellQuoted(engine.toString());
		String withOptions = String.join(" ", Guardian.shellQuoted("DOCKER_HOST=tcp://it's:2375"),
				Guardian.shellQuoted("-DOCKER_CONTEXT"), "--", Guardian.shellQuoted(engine.toString()),
				Guardian.shellQuoted("--root"), Guardian.shellQuoted("/var/lib/it's mine"));
		guardian.getOutputStream()
			.write(("c+ a podman " + withOptions + "\nc+ b docker " + plain + "\nc+ c docker " + plain + "\nc- b\n")
				.getBytes(StandardCharsets.UTF_8));
		guardian.getOutputStream().close();
		guardian.waitFor();
		assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder(
				"tcp://it's:2375 --root /var/lib/it's mine ps -a -q --no-trunc --filter label=dev.mcpstdio.run=a",
				"default context from-the-jvm ps -a -q --no-trunc --filter label=dev.mcpstdio.run=c",
				"tcp://it's:2375 --root /var/lib/it's mine rm -f -t 0 id-of-a",
				"default context from-the-jvm rm -f id-of-c");
		assertThat(guardian.exitValue()).isZero();
	}

}
