package dev.berth.platform.apiserver.discovery;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer for a discovery or OpenAPI request: the routing layer writes the status, the headers (among
 * them Content-Type when there is a body) and the body as they are.
 *
 * @param body the bytes to send; empty for 304 and 301
 * @param headers response headers, Content-Type included when there is a body
 */
public record ServedDocument(int status, byte[] body, Map<String, String> headers) {

    public ServedDocument {
        headers = Map.copyOf(headers);
    }

    public String contentType() {
        return headers.get("Content-Type");
    }

    /** The body as UTF-8 text (every document here is JSON or empty). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
