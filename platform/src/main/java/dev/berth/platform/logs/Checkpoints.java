package dev.berth.platform.logs;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.platform.store.PrivateFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shipper's progress on disk: per log file path, its inode and the offset up to which every line was
 * acknowledged by Elasticsearch. Replaced whole and durably ({@link PrivateFiles}), so a crash leaves either the
 * previous or the new checkpoint, never a torn or lost one. Not thread-safe: the shipper's thread owns it.
 */
final class Checkpoints {

    /** @param timestamp the timestamp a plain line at {@code offset} inherits (null: the pod's start) */
    record Position(long inode, long offset, String timestamp) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    Checkpoints(Path file) {
        this.file = file;
    }

    Map<String, Position> load() throws IOException {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        return JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Position>>() {});
    }

    void save(Map<String, Position> positions) throws IOException {
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(new TreeMap<>(positions)));
    }
}
