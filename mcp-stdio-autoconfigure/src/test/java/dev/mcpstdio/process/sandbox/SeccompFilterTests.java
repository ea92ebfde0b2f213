package dev.mcpstdio.process.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.mcpstdio.process.sandbox.SeccompFilter.Arch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter's program, run by a small interpreter of the classic BPF it is made of, for
 * the calls a server makes; {@code SandboxEscapeTests} runs it in the kernel.
 */
class SeccompFilterTests {

	private static final int ALLOW = 0x7fff0000;

	private static final int EPERM = 0x00050001;

	private static final int ENOSYS = 0x00050026;

	private static final int KILL = 0x80000000;

	@Test
	void unixSocketsAreRefusedUnlessAllowedAndOtherSocketsAndPairsAreNot() {
		byte[] filter = SeccompFilter.program(Arch.X86_64, false);
		assertThat(run(filter, 0xC000003E, 41, 1, 1)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC000003E, 41, 2, 1)).isEqualTo(ALLOW);
		assertThat(run(filter, 0xC000003E, 41, 10, 1)).isEqualTo(ALLOW);
		assertThat(run(filter, 0xC000003E, 53, 1, 1)).isEqualTo(ALLOW);
		assertThat(run(filter, 0xC000003E, 53, 1, 5 | 0x80000)).isEqualTo(ALLOW);
		assertThat(run(SeccompFilter.program(Arch.X86_64, true), 0xC000003E, 41, 1, 1)).isEqualTo(ALLOW);
	}

	@Test
	void unixDatagramPairsAreRefusedUnlessUnixSocketsAreAllowed() {
		byte[] filter = SeccompFilter.program(Arch.X86_64, false);
		// SOCK_DGRAM, with SOCK_CLOEXEC; SOCK_RAW, which a unix socket takes as a
		// datagram
		assertThat(run(filter, 0xC000003E, 53, 1, 2 | 0x80000)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC000003E, 53, 1, 3)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC000003E, 53, 2, 2)).isEqualTo(ALLOW);
		assertThat(run(SeccompFilter.program(Arch.AARCH64, false), 0xC00000B7, 199, 1, 2)).isEqualTo(EPERM);
		assertThat(run(SeccompFilter.program(Arch.X86_64, true), 0xC000003E, 53, 1, 2)).isEqualTo(ALLOW);
	}

	@Test
	void ptraceMemoryOfOthersKeyringsAndPerfAreRefused() {
		byte[] filter = SeccompFilter.program(Arch.X86_64, true);
		for (int call : new int[] { 101, 310, 311, 248, 249, 250, 298 }) {
			assertThat(run(filter, 0xC000003E, call, 0, 0)).as("call %d", call).isEqualTo(EPERM);
		}
		assertThat(run(filter, 0xC000003E, 0, 0, 0)).isEqualTo(ALLOW);
		assertThat(run(filter, 0xC000003E, 59, 0, 0)).isEqualTo(ALLOW);
	}

	@Test
	void ioUringIsNotThereSoThatProgramsFallBack() {
		byte[] filter = SeccompFilter.program(Arch.AARCH64, false);
		for (int call : new int[] { 425, 426, 427 }) {
			assertThat(run(filter, 0xC00000B7, call, 0, 0)).isEqualTo(ENOSYS);
		}
	}

	@Test
	void terminalInjectionIsRefusedAndOtherIoctlsAreNot() {
		byte[] filter = SeccompFilter.program(Arch.X86_64, false);
		assertThat(run(filter, 0xC000003E, 16, 0, 0x5412)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC000003E, 16, 0, 0x541C)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC000003E, 16, 0, 0x5401)).isEqualTo(ALLOW);
	}

	@Test
	void aarch64HasItsOwnNumbers() {
		byte[] filter = SeccompFilter.program(Arch.AARCH64, false);
		assertThat(run(filter, 0xC00000B7, 198, 1, 0)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC00000B7, 117, 0, 0)).isEqualTo(EPERM);
		assertThat(run(filter, 0xC00000B7, 41, 1, 0)).isEqualTo(ALLOW);
	}

	@Test
	void callsOfAnotherArchitectureOrX32EndTheProcess() {
		byte[] filter = SeccompFilter.program(Arch.X86_64, true);
		// i386's socketcall would pass a filter of x86_64's numbers
		assertThat(run(filter, 0x40000003, 102, 1, 0)).isEqualTo(KILL);
		assertThat(run(filter, 0xC000003E, 0x40000000 + 41, 1, 0)).isEqualTo(KILL);
		assertThat(run(SeccompFilter.program(Arch.AARCH64, true), 0xC000003E, 41, 1, 0)).isEqualTo(KILL);
	}

	@Test
	void thisMachinesArchitectureIsKnown() {
		assertThat(Arch.of("amd64")).contains(Arch.X86_64);
		assertThat(Arch.of("aarch64")).contains(Arch.AARCH64);
		assertThat(Arch.of("riscv64")).isEmpty();
		assertThat(SeccompFilter.forThisMachine(false)).isPresent();
	}

	/**
	 * Runs a program of loads of {@code struct seccomp_data}, equality and
	 * greater-or-equal jumps and returns, as the kernel does.
	 */
	private static int run(byte[] program, int arch, int nr, int arg0, int arg1) {
		ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
		int accumulator = 0;
		int pc = 0;
		while (true) {
			int at = pc * 8;
			int op = code.getShort(at) & 0xffff;
			int jt = code.get(at + 2) & 0xff;
			int jf = code.get(at + 3) & 0xff;
			int k = code.getInt(at + 4);
			pc++;
			switch (op) {
				case 0x20 -> accumulator = switch (k) {
					case 0 -> nr;
					case 4 -> arch;
					case 16 -> arg0;
					case 24 -> arg1;
					default -> throw new IllegalStateException("load of offset " + k);
				};
				case 0x15 -> pc += (accumulator == k) ? jt : jf;
				case 0x54 -> accumulator &= k;
				case 0x35 -> pc += (Integer.compareUnsigned(accumulator, k) >= 0) ? jt : jf;
				case 0x06 -> {
					return k;
				}
				default -> throw new IllegalStateException("op " + op);
			}
		}
	}

}
