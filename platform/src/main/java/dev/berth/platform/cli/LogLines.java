package dev.berth.platform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/**
 * Shipped log documents as {@code berth logs --search} prints them, one line each:
 * {@code 2026-11-22T10:46:05.146Z berth/order-service-7c9d-x2k4 INFO  order … placed  trace.id=03c7…}.
 */
final class LogLines {

    private LogLines() {}

    static void print(JsonNode lines, PrintStream out) {
        for (JsonNode d : lines) {
            out.println(format(d));
        }
    }

    static String format(JsonNode d) {
        String trace = field(d, "trace.id");
        return String.format("%-30s %-45s %-5s %s%s", field(d, "@timestamp"),
                field(d, "kubernetes.namespace") + "/" + field(d, "kubernetes.pod.name"),
                field(d, "log.level").isEmpty() ? "-" : field(d, "log.level"), field(d, "message"),
                trace.isEmpty() ? "" : "  trace.id=" + trace);
    }

    /** A field by its dotted name, whether the document holds it flat ("log.level") or nested (log → level). */
    static String field(JsonNode d, String dotted) {
        if (d.has(dotted)) {
            return d.get(dotted).asText();
        }
        int dot = dotted.indexOf('.');
        while (dot > 0) {
            JsonNode head = d.get(dotted.substring(0, dot));
            if (head != null && head.isObject()) {
                return field(head, dotted.substring(dot + 1));
            }
            dot = dotted.indexOf('.', dot + 1);
        }
        return "";
    }
}
