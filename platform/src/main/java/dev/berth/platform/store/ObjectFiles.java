package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The store's disk layout: one JSON file per object, {@code <dir>/<plural>/<namespace or _>/<name>.json}, private
 * to the core's user and changed durably (see {@link PrivateFiles}). A file that cannot be loaded is moved to
 * {@code <dir>/quarantine/} with the same relative path, never deleted. Not thread-safe: the store serialises writes.
 */
final class ObjectFiles {

    static final String QUARANTINE = "quarantine";
    private static final String SUFFIX = ".json";

    private final Path dir;

    ObjectFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            PrivateFiles.createDirectories(this.dir);
            PrivateFiles.restrict(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /**
     * Where {@code key}'s object lives.
     *
     * @throws StoreException INVALID when the namespace or name cannot be one file name under the store
     */
    Path pathOf(ObjectKey key) {
        try {
            Path kindDir = dir.resolve(key.kind().plural());
            Path namespaceDir = key.namespace().isEmpty() ? kindDir.resolve("_") : PathSegment.resolve(kindDir, "metadata.namespace", key.namespace());
            PathSegment.resolve(namespaceDir, "metadata.name", key.name()); // refuses "..", "." and "/" before the suffix hides them
            return PathSegment.resolve(namespaceDir, "metadata.name", key.name() + SUFFIX);
        } catch (StoreException e) {
            throw new StoreException(StoreException.Reason.INVALID, key, e.field(), e.getMessage());
        }
    }

    void write(ObjectKey key, String json) {
        Path target = pathOf(key);
        try {
            PrivateFiles.createDirectories(target.getParent());
            PrivateFiles.writeAtomically(target, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    void delete(ObjectKey key) {
        Path file = pathOf(key);
        try {
            PrivateFiles.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    /** Every stored object's file, in no particular order; temporary files of interrupted writes are not included. */
    List<Path> storedFiles() {
        List<Path> found = new ArrayList<>();
        // one directory per plural: kinds served under two API groups (core and events.k8s.io Events) share theirs
        for (String plural : Arrays.stream(ResourceKind.values()).map(ResourceKind::plural).distinct().toList()) {
            Path kindDir = dir.resolve(plural);
            if (!Files.isDirectory(kindDir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(kindDir)) {
                files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && !Files.isDirectory(p)).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the store under " + kindDir, e);
            }
        }
        return found;
    }

    String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Moves {@code file} to {@code <dir>/quarantine/<its relative path>} (with a numeric suffix if taken); returns where. */
    Path quarantine(Path file) {
        Path relative = dir.relativize(file);
        Path target = dir.resolve(QUARANTINE).resolve(relative);
        try {
            PrivateFiles.createDirectories(target.getParent());
            for (int n = 1; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
                target = dir.resolve(QUARANTINE).resolve(relative + "." + n);
            }
            PrivateFiles.move(file, target);
            Files.setPosixFilePermissions(target, PrivateFiles.FILE); // whoever wrote it, it may hold a Secret
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " to " + target, e);
        }
    }
}
