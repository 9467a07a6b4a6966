package dev.berth.platform.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Documents Elasticsearch refused for good (a mapping conflict, say), appended as one JSON line each to
 * {@code dead-letter.ndjson} with the index, id and Elasticsearch's reason, so nothing is silently lost and each can be
 * fixed and replayed. Thread-safe.
 */
final class DeadLetters implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private OutputStream out;

    DeadLetters(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    Path file() {
        return file;
    }

    synchronized void write(LogDocument doc, int status, String errorType, String reason) throws IOException {
        if (out == null) {
            Files.createDirectories(file.getParent());
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        ObjectNode entry = JSON.createObjectNode();
        entry.put("@timestamp", clock.instant().toString());
        entry.put("index", doc.index());
        entry.put("id", doc.id());
        entry.put("status", status);
        entry.put("error.type", errorType);
        entry.put("error.reason", reason);
        entry.set("document", doc.body());
        out.write(JSON.writeValueAsBytes(entry));
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
