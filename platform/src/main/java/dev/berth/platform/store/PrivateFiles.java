package dev.berth.platform.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Files only the core's user may read (directories 0700, files 0600, whatever the umask), changed durably: a
 * written file is fsynced before it is renamed into place, and the directory is fsynced after every rename,
 * delete or new entry, so what was acknowledged survives a power loss. Stateless and thread-safe.
 */
public final class PrivateFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE = PosixFilePermissions.asFileAttribute(FILE);

    private PrivateFiles() {}

    /** Creates {@code dir} and its missing parents 0700, each made durable in its parent; existing ones are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = dir.toAbsolutePath(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        while (!missing.isEmpty()) {
            Path d = missing.pop();
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(d)) {
                    throw raced;
                }
                continue;
            }
            Files.setPosixFilePermissions(d, DIRECTORY); // the umask may have taken bits from the mode asked for
            fsyncDirectory(d.getParent());
        }
        return dir;
    }

    /** Makes an existing directory 0700 (one an older version created with the umask's 0755). */
    public static void restrict(Path dir) throws IOException {
        if (!Files.isSymbolicLink(dir) && !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIRECTORY)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /**
     * Replaces {@code target} with {@code content}: written 0600 to {@code .<name without its extension>.tmp} beside
     * it (no longer than {@code <name>.json}, so a name the store accepts always has room for its temporary file),
     * fsynced, renamed over it, the directory fsynced. A crash leaves the old or the new content, never half of one.
     * Callers serialise writes to files of one directory that share a name before the extension.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path tmp = target.resolveSibling("." + (dot > 0 ? name.substring(0, dot) : name) + ".tmp");
        Files.deleteIfExists(tmp); // a crash's leftover keeps the mode it was created with
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_ATTRIBUTE)) {
            Files.setPosixFilePermissions(tmp, FILE);
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        move(tmp, target);
    }

    /** Renames {@code from} to {@code to} (replacing it), then fsyncs both directories. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            fsyncDirectory(from.getParent());
        }
    }

    /** Deletes {@code file} if it exists and makes the deletion durable. */
    public static boolean delete(Path file) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            fsyncDirectory(file.getParent());
        }
        return deleted;
    }

    /** Flushes a directory's entries (new, renamed, deleted names) to disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
