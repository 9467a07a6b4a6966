package dev.berth.platform.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One log line as the Elasticsearch document the shipper sends: a JSON object line keeps every field the service
 * wrote; any other line is kept whole as {@code message}, tagged {@value #PLAIN_TAG}, never dropped. Both get the
 * replica's metadata (ECS-style dotted names) and the line's place ({@code log.file.path}, {@code log.offset}).
 *
 * <p>Everything is a function of the file and the line, so a replayed line produces the same document, id and
 * index: the id is the file's identity plus the byte offset, the index is the UTC day of the line's
 * {@code @timestamp} — for a plain line the last timestamp seen before it in the same file (kept in the checkpoint),
 * else the pod's start.
 *
 * @param timestamp the timestamp this line carries, or inherited; the next plain line inherits it
 */
record LogDocument(String index, String id, ObjectNode body, String timestamp, boolean plain) {

    static final String PLAIN_TAG = "berth_plain_text";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    /**
     * @param line the line's bytes, without its newline
     * @param previousTimestamp the timestamp of the last line before this one in the file, or null
     */
    static LogDocument of(LogSource source, byte[] line, int from, int length, long offset, String previousTimestamp, String indexPrefix) {
        ObjectNode body = parseObject(line, from, length);
        boolean plain = body == null;
        String inherited = previousTimestamp != null ? previousTimestamp : source.podStart();
        String timestamp = inherited;
        Instant day = instant(inherited);
        if (plain) {
            body = JSON.createObjectNode();
            body.put("@timestamp", inherited);
            body.put("message", new String(line, from, stripCr(line, from, length), StandardCharsets.UTF_8));
            body.putArray("tags").add(PLAIN_TAG);
        } else {
            JsonNode own = body.get("@timestamp");
            Instant at = own != null && own.isTextual() ? instant(own.asText()) : null;
            if (at != null) {
                timestamp = own.asText();
                day = at;
            } else if (own == null) {
                body.put("@timestamp", inherited);
            } // else: a @timestamp Elasticsearch will reject is left as written, so the rejection is dead-lettered
        }
        body.put("kubernetes.namespace", source.namespace());
        body.put("kubernetes.pod.name", source.pod());
        body.put("kubernetes.container.name", source.container());
        body.put("kubernetes.node.name", source.node());
        body.put("cloud.availability_zone", source.zone());
        body.put("berth.revision", source.revision());
        body.put("berth.workload", source.workload());
        if (!body.has("service.name") && !(body.get("service") instanceof ObjectNode s && s.has("name"))) {
            body.put("service.name", source.service());
        }
        body.put("log.file.path", source.path());
        body.put("log.offset", offset);
        String index = indexPrefix + DAY.format(day == null ? Instant.EPOCH : day);
        return new LogDocument(index, source.fileId() + ":" + offset, body, timestamp, plain);
    }

    private static ObjectNode parseObject(byte[] line, int from, int length) {
        if (length == 0 || line[from] != '{') {
            return null;
        }
        try {
            return JSON.readTree(line, from, length) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null; // not JSON: shipped as a plain message
        }
    }

    /** The line's length without a trailing carriage return. */
    private static int stripCr(byte[] line, int from, int length) {
        return length > 0 && line[from + length - 1] == '\r' ? length - 1 : length;
    }

    /** An ISO-8601 instant with an offset, or null. */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
