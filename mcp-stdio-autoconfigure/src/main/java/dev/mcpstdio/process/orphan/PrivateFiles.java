package dev.mcpstdio.process.orphan;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Checks that a directory or file can be trusted because only this user can have written
 * it: not a symbolic link, owned by this user, writable by nobody else (POSIX mode, or
 * the ACL where the file system has no POSIX modes).
 */
final class PrivateFiles {

	private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
			PosixFilePermission.OTHERS_WRITE);

	private static final Set<AclEntryPermission> ACL_WRITE = EnumSet.of(AclEntryPermission.WRITE_DATA,
			AclEntryPermission.APPEND_DATA, AclEntryPermission.DELETE_CHILD, AclEntryPermission.WRITE_OWNER,
			AclEntryPermission.WRITE_ACL);

	private final UserPrincipal user;

	private PrivateFiles(UserPrincipal user) {
		this.user = user;
	}

	/** The checks for the user this JVM runs as, or empty where it cannot be known. */
	static Optional<PrivateFiles> forCurrentUser() {
		try {
			return Optional.of(new PrivateFiles(Path.of("")
				.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName(System.getProperty("user.name"))));
		}
		catch (IOException | UnsupportedOperationException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Makes sure a directory exists and is private, creating it (mode 0700) where
	 * missing.
	 * @param directory the directory
	 * @return why it cannot be used, or empty when it can
	 */
	Optional<String> prepareDirectory(Path directory) {
		try {
			Path parent = directory.toAbsolutePath().getParent();
			if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
				Files.createDirectories(parent);
			}
			createPrivately(directory, parent);
			return problem(directory, true);
		}
		catch (IOException ex) {
			return Optional.of("it cannot be created or read (" + ex + ")");
		}
	}

	/**
	 * Whether a file can be trusted.
	 * @param file the file
	 * @return why not, or empty when it can
	 */
	Optional<String> checkFile(Path file) {
		try {
			return problem(file, false);
		}
		catch (IOException ex) {
			return Optional.of("it cannot be read (" + ex + ")");
		}
	}

	private static void createPrivately(Path directory, @Nullable Path parent) throws IOException {
		try {
			if (parent != null && Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null) {
				Files.createDirectory(directory,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			else {
				Files.createDirectory(directory);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// checked as it is, whoever made it
		}
	}

	private Optional<String> problem(Path path, boolean directory) throws IOException {
		BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		if (basic.isSymbolicLink()) {
			return Optional.of("it is a symbolic link");
		}
		if (directory ? !basic.isDirectory() : !basic.isRegularFile()) {
			return Optional.of(directory ? "it is not a directory" : "it is not a regular file");
		}
		UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
		if (!owner.equals(this.user)) {
			return Optional.of("it is owned by " + owner.getName() + ", not by " + this.user.getName());
		}
		PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		if (posix != null) {
			PosixFileAttributes attributes = posix.readAttributes();
			if (attributes.permissions().stream().anyMatch(OTHERS_WRITE::contains)) {
				return Optional.of("its group or others may write it (mode "
						+ PosixFilePermissions.toString(attributes.permissions()) + ")");
			}
			return Optional.empty();
		}
		AclFileAttributeView acl = Files.getFileAttributeView(path, AclFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		if (acl == null) {
			return Optional.of("its file system tells neither modes nor ACLs, so who may write it is unknown");
		}
		for (AclEntry entry : acl.getAcl()) {
			if (entry.type() == AclEntryType.ALLOW && !trusted(entry.principal(), owner)
					&& entry.permissions().stream().anyMatch(ACL_WRITE::contains)) {
				return Optional.of("its ACL lets " + entry.principal().getName() + " write it");
			}
		}
		return Optional.empty();
	}

	private static boolean trusted(UserPrincipal principal, UserPrincipal owner) {
		String name = principal.getName();
		return principal.equals(owner) || name.equals("NT AUTHORITY\\SYSTEM") || name.equals("BUILTIN\\Administrators");
	}

}
