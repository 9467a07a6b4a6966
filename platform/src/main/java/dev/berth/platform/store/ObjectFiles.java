package dev.berth.platform.store;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The store's disk layout: one JSON file per object, {@code <dir>/<plural>/<namespace or _>/<name>.json},
 * each written to a temporary file, fsynced and renamed over the old one, so a crash leaves either the old
 * or the new version, never half of one. Not thread-safe: the store serialises writes.
 */
final class ObjectFiles {

    private final Path dir;

    ObjectFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + dir, e);
        }
    }

    Path pathOf(ObjectKey key) {
        return dir.resolve(key.kind().plural()).resolve(key.namespace().isEmpty() ? "_" : key.namespace()).resolve(key.name() + ".json");
    }

    void write(ObjectKey key, String json) {
        Path target = pathOf(key);
        Path tmp = target.resolveSibling("." + key.name() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    void delete(ObjectKey key) {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pathOf(key), e);
        }
    }

    /** Every stored JSON document, in no particular order. */
    List<String> readAll() {
        List<String> documents = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            Path kindDir = dir.resolve(kind.plural());
            if (!Files.isDirectory(kindDir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(kindDir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                    documents.add(Files.readString(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the store under " + kindDir, e);
            }
        }
        return documents;
    }
}
