package dev.mcpstdio.process.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seccomp filter a sandboxed server's command runs under, as the classic BPF program
 * bubblewrap's {@code --seccomp} loads: {@code ptrace} and the calls that read or write
 * another process's memory, the keyring calls ({@code keyctl}, {@code add_key},
 * {@code request_key}), {@code io_uring} (whose operations would open sockets past the
 * filter), {@code perf_event_open}, the terminal's {@code TIOCSTI} and {@code TIOCLINUX}
 * and, unless unix sockets are allowed, {@code socket(AF_UNIX, ...)} and a unix
 * {@code socketpair} of datagrams (whose {@code sendto} may name any path) fail with
 * {@code EPERM} ({@code ENOSYS} for {@code io_uring}, so that programs fall back); a call
 * of another architecture (32-bit or x32 calls on a 64-bit kernel, which the numbers
 * below do not describe) ends the process. A unix pair of stream or seqpacket sockets
 * stays allowed: connected to each other, it reaches nothing else.
 */
final class SeccompFilter {

	private static final int LD_W_ABS = 0x20;

	private static final int JEQ_K = 0x15;

	private static final int JGE_K = 0x35;

	private static final int RET_K = 0x06;

	private static final int AND_K = 0x54;

	private static final int SOCK_STREAM = 1;

	private static final int SOCK_SEQPACKET = 5;

	/** The type of a socket, without {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}. */
	private static final int SOCK_TYPE_MASK = 0xf;

	private static final int ALLOW = 0x7fff0000;

	private static final int KILL_PROCESS = 0x80000000;

	private static final int ERRNO = 0x00050000;

	private static final int EPERM = 1;

	private static final int ENOSYS = 38;

	private static final int AF_UNIX = 1;

	private static final int TIOCSTI = 0x5412;

	private static final int TIOCLINUX = 0x541C;

	/**
	 * Where {@code struct seccomp_data} keeps the call's number, architecture, arguments.
	 */
	private static final int NR = 0;

	private static final int ARCH = 4;

	private static final int ARG0_LOW = 16;

	private static final int ARG1_LOW = 24;

	private SeccompFilter() {
	}

	/**
	 * The filter for this machine's architecture.
	 * @param allowUnixSockets whether {@code socket(AF_UNIX, ...)} stays allowed (the
	 * server was given unix sockets of the host)
	 * @return the program, as {@code struct sock_filter}s in the machine's byte order, or
	 * empty on an architecture the filter does not know
	 */
	static Optional<byte[]> forThisMachine(boolean allowUnixSockets) {
		return Arch.of(System.getProperty("os.arch")).map((arch) -> program(arch, allowUnixSockets));
	}

	static byte[] program(Arch arch, boolean allowUnixSockets) {
		Program program = new Program();
		program.load(ARCH);
		program.jumpUnless(arch.audit, "kill");
		program.load(NR);
		if (arch.x32Bit != 0) {
			program.jumpIfAtLeast(arch.x32Bit, "kill");
		}
		for (int call : arch.denied) {
			program.jumpIf(call, "eperm");
		}
		for (int call : arch.ioUring) {
			program.jumpIf(call, "enosys");
		}
		program.jumpIf(arch.ioctl, "ioctl");
		if (!allowUnixSockets) {
			program.jumpIf(arch.socket, "socket");
			program.jumpIf(arch.socketpair, "socketpair");
		}
		program.ret(ALLOW);
		program.label("ioctl");
		program.load(ARG1_LOW);
		program.jumpIf(TIOCSTI, "eperm");
		program.jumpIf(TIOCLINUX, "eperm");
		program.ret(ALLOW);
		if (!allowUnixSockets) {
			program.label("socket");
			program.load(ARG0_LOW);
			program.jumpIf(AF_UNIX, "eperm");
			program.ret(ALLOW);
			// a connected pair reaches nothing else; a datagram one sends to any path
			program.label("socketpair");
			program.load(ARG0_LOW);
			program.jumpUnless(AF_UNIX, "allow");
			program.load(ARG1_LOW);
			program.and(SOCK_TYPE_MASK);
			program.jumpIf(SOCK_STREAM, "allow");
			program.jumpIf(SOCK_SEQPACKET, "allow");
			program.ret(ERRNO | EPERM);
		}
		program.label("allow");
		program.ret(ALLOW);
		program.label("eperm");
		program.ret(ERRNO | EPERM);
		program.label("enosys");
		program.ret(ERRNO | ENOSYS);
		program.label("kill");
		program.ret(KILL_PROCESS);
		return program.bytes();
	}

	/** The architectures the filter knows, with their call numbers. */
	enum Arch {

		/** x86_64: its own numbers; x32 calls carry bit 30. */
		X86_64(0xC000003E, 0x40000000, 41, 53, 16, new int[] { 101, 310, 311, 250, 248, 249, 298 },
				new int[] { 425, 426, 427 }),

		/** aarch64: the generic numbers. */
		AARCH64(0xC00000B7, 0, 198, 199, 29, new int[] { 117, 270, 271, 219, 217, 218, 241 },
				new int[] { 425, 426, 427 });

		private final int audit;

		private final int x32Bit;

		private final int socket;

		private final int socketpair;

		private final int ioctl;

		/**
		 * ptrace, process_vm_readv, process_vm_writev, keyctl, add_key, request_key,
		 * perf_event_open.
		 */
		private final int[] denied;

		/** io_uring_setup, io_uring_enter, io_uring_register. */
		private final int[] ioUring;

		Arch(int audit, int x32Bit, int socket, int socketpair, int ioctl, int[] denied, int[] ioUring) {
			this.audit = audit;
			this.x32Bit = x32Bit;
			this.socket = socket;
			this.socketpair = socketpair;
			this.ioctl = ioctl;
			this.denied = denied;
			this.ioUring = ioUring;
		}

		static Optional<Arch> of(String osArch) {
			return switch (osArch) {
				case "amd64", "x86_64" -> Optional.of(X86_64);
				case "aarch64", "arm64" -> Optional.of(AARCH64);
				default -> Optional.empty();
			};
		}

	}

	/** A BPF program whose forward jumps name labels, resolved when it is written out. */
	private static final class Program {

		private final List<int[]> instructions = new ArrayList<>();

		private final List<String> targets = new ArrayList<>();

		private final List<String> labels = new ArrayList<>();

		private final List<Integer> labelPositions = new ArrayList<>();

		void load(int offset) {
			add(LD_W_ABS, offset, "");
		}

		void jumpIf(int value, String label) {
			add(JEQ_K, value, "t:" + label);
		}

		void jumpUnless(int value, String label) {
			add(JEQ_K, value, "f:" + label);
		}

		void jumpIfAtLeast(int value, String label) {
			add(JGE_K, value, "t:" + label);
		}

		void and(int value) {
			add(AND_K, value, "");
		}

		void ret(int value) {
			add(RET_K, value, "");
		}

		void label(String name) {
			this.labels.add(name);
			this.labelPositions.add(this.instructions.size());
		}

		private void add(int code, int k, String target) {
			this.instructions.add(new int[] { code, k });
			this.targets.add(target);
		}

		byte[] bytes() {
			ByteBuffer buffer = ByteBuffer.allocate(this.instructions.size() * 8).order(ByteOrder.nativeOrder());
			for (int i = 0; i < this.instructions.size(); i++) {
				int[] instruction = this.instructions.get(i);
				String target = this.targets.get(i);
				int jt = 0;
				int jf = 0;
				if (!target.isEmpty()) {
					int offset = position(target.substring(2)) - i - 1;
					if (offset < 0 || offset > 255) {
						throw new IllegalStateException("a jump of the seccomp filter out of reach: " + target);
					}
					if (target.startsWith("t:")) {
						jt = offset;
					}
					else {
						jf = offset;
					}
				}
				buffer.putShort((short) instruction[0]).put((byte) jt).put((byte) jf).putInt(instruction[1]);
			}
			return buffer.array();
		}

		private int position(String label) {
			int index = this.labels.indexOf(label);
			if (index < 0) {
				throw new IllegalStateException("no label " + label + " in the seccomp filter");
			}
			return this.labelPositions.get(index);
		}

	}

}
