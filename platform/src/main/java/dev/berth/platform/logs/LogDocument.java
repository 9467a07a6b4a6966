package dev.berth.platform.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Set;

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
 * <p>The common case is cheap: a JSON line is only scanned (top-level keys, {@code @timestamp}) and the metadata
 * appended to its own bytes; a tree is built only when the line already uses one of the shipper's field names.
 *
 * @param json the document's bytes
 * @param timestamp the timestamp this line carries, or inherited; the next plain line inherits it
 */
record LogDocument(String index, String id, byte[] json, String timestamp, boolean plain) {

    static final String PLAIN_TAG = "berth_plain_text";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    private static volatile DayIndex lastIndex = new DayIndex("", UtcDay.NONE, "");
    /** The top-level names the shipper writes: a line using one gets the shipper's value instead (no duplicate keys). */
    private static final Set<String> OURS = Set.of("kubernetes.namespace", "kubernetes.pod.name", "kubernetes.container.name",
            "kubernetes.node.name", "cloud.availability_zone", "berth.revision", "berth.workload", "log.file.path", "log.offset");

    /** The document as a tree (tests, dead letters). */
    ObjectNode body() {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metadata every document of this source carries, as JSON members without braces: computed once per file. */
    static byte[] metadata(LogSource source) {
        ObjectNode m = JSON.createObjectNode();
        m.put("kubernetes.namespace", source.namespace());
        m.put("kubernetes.pod.name", source.pod());
        m.put("kubernetes.container.name", source.container());
        m.put("kubernetes.node.name", source.node());
        m.put("cloud.availability_zone", source.zone());
        m.put("berth.revision", source.revision());
        m.put("berth.workload", source.workload());
        m.put("log.file.path", source.path());
        String members = m.toString();
        return members.substring(1, members.length() - 1).getBytes(StandardCharsets.UTF_8);
    }

    static LogDocument of(LogSource source, byte[] line, int from, int length, long offset, String previousTimestamp, String indexPrefix) {
        return of(source, metadata(source), line, from, length, offset, previousTimestamp, indexPrefix);
    }

    /**
     * @param metadata {@link #metadata(LogSource)} of {@code source}
     * @param line the line's bytes, without its newline
     * @param previousTimestamp the timestamp of the last line before this one in the file, or null
     */
    static LogDocument of(LogSource source, byte[] metadata, byte[] line, int from, int length, long offset, String previousTimestamp,
            String indexPrefix) {
        String inherited = previousTimestamp != null ? previousTimestamp : source.podStart();
        Scan scan = scan(line, from, length);
        String id = source.fileId() + ":" + offset;
        if (scan == null) {
            ObjectNode body = JSON.createObjectNode();
            body.put("@timestamp", inherited);
            body.put("message", new String(line, from, stripCr(line, from, length), StandardCharsets.UTF_8));
            body.putArray("tags").add(PLAIN_TAG);
            return new LogDocument(index(indexPrefix, inherited), id, append(body, metadata, offset, source.service(), null), inherited, true);
        }
        long day = UtcDay.of(scan.timestamp);
        String timestamp = day != UtcDay.NONE ? scan.timestamp : inherited;
        String missingTimestamp = scan.hasTimestamp ? null : inherited; // one Elasticsearch will reject is left for it to refuse
        String service = scan.hasService ? null : source.service();
        byte[] json;
        if (scan.clashes) {
            ObjectNode body;
            try {
                body = (ObjectNode) JSON.readTree(line, from, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // scanned as a JSON object a moment ago
            }
            OURS.forEach(body::remove);
            json = append(body, metadata, offset, service, missingTimestamp);
        } else {
            json = splice(line, from, scan.closingBrace, scan.members > 0, metadata, offset, service, missingTimestamp);
        }
        return new LogDocument(day != UtcDay.NONE ? index(indexPrefix, day) : index(indexPrefix, inherited), id, json, timestamp, false);
    }

    /** What a quick pass over a JSON object line found; null when the line is not one JSON object. */
    private record Scan(int closingBrace, int members, String timestamp, boolean hasTimestamp, boolean hasService, boolean clashes) {}

    private static Scan scan(byte[] line, int from, int length) {
        if (length == 0 || line[from] != '{') {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(line, from, length)) {
            p.nextToken();
            int members = 0;
            String timestamp = null;
            boolean hasTimestamp = false;
            boolean hasService = false;
            boolean clashes = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                members++;
                JsonToken value = p.nextToken();
                if (name.equals("@timestamp")) {
                    hasTimestamp = true;
                    timestamp = value == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if (name.equals("service.name") || name.equals("service") && value == JsonToken.START_OBJECT) {
                    hasService = true; // an object "service" is taken to name it
                } else if (OURS.contains(name)) {
                    clashes = true;
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            if (p.nextToken() != null) {
                return null; // more after the object: not one JSON document
            }
            int closing = from + length - 1;
            while (line[closing] != '}') {
                closing--; // trailing whitespace or \r
            }
            return new Scan(closing, members, timestamp, hasTimestamp, hasService, clashes);
        } catch (IOException e) {
            return null; // not JSON: shipped as a plain message
        }
    }

    /** The line up to its closing brace, then the metadata members, then the brace. */
    private static byte[] splice(byte[] line, int from, int closingBrace, boolean hasMembers, byte[] metadata, long offset, String service,
            String timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(closingBrace - from + metadata.length + 96);
        out.write(line, from, closingBrace - from);
        if (hasMembers) {
            out.write(',');
        }
        writeMembers(out, metadata, offset, service, timestamp);
        out.write('}');
        return out.toByteArray();
    }

    private static byte[] append(ObjectNode body, byte[] metadata, long offset, String service, String timestamp) {
        try {
            byte[] own = JSON.writeValueAsBytes(body);
            ByteArrayOutputStream out = new ByteArrayOutputStream(own.length + metadata.length + 96);
            out.write(own, 0, own.length - 1);
            if (!body.isEmpty()) {
                out.write(',');
            }
            writeMembers(out, metadata, offset, service, timestamp);
            out.write('}');
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeMembers(ByteArrayOutputStream out, byte[] metadata, long offset, String service, String timestamp) {
        out.writeBytes(metadata);
        out.writeBytes((",\"log.offset\":" + offset).getBytes(StandardCharsets.US_ASCII));
        if (service != null) {
            writeString(out, "service.name", service);
        }
        if (timestamp != null) {
            writeString(out, "@timestamp", timestamp);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String name, String value) {
        try {
            out.writeBytes(("," + JSON.writeValueAsString(name) + ":" + JSON.writeValueAsString(value)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String index(String prefix, String timestamp) {
        long day = UtcDay.of(timestamp);
        return index(prefix, day == UtcDay.NONE ? 0 : day);
    }

    /** The index of a UTC day; the last one is kept, since consecutive lines nearly always share their day. */
    private static String index(String prefix, long epochDay) {
        DayIndex last = lastIndex;
        if (last.day() != epochDay || !last.prefix().equals(prefix)) {
            last = new DayIndex(prefix, epochDay, prefix + DAY.format(LocalDate.ofEpochDay(epochDay)));
            lastIndex = last; // racy but safe: an immutable value, recomputed by whoever misses
        }
        return last.name();
    }

    private record DayIndex(String prefix, long day, String name) {}

    /** The line's length without a trailing carriage return. */
    private static int stripCr(byte[] line, int from, int length) {
        return length > 0 && line[from + length - 1] == '\r' ? length - 1 : length;
    }
}
