package dev.berth.platform.apiserver.discovery;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A serialized document with its hash, the way kube-apiserver caches discovery and OpenAPI: the ETag is the
 * upper-case hex SHA-512 of the bytes (aggregated/etag.go {@code calculateETag}, handler3 {@code computeETag}),
 * so it changes exactly when the document does. Immutable and thread-safe.
 */
public final class HashedDocument {

    private final byte[] body;
    private final String contentType;
    private final String hash;

    private HashedDocument(byte[] body, String contentType) {
        this.body = body.clone();
        this.contentType = contentType;
        this.hash = sha512(this.body);
    }

    public static HashedDocument of(byte[] body, String contentType) {
        return new HashedDocument(body, contentType);
    }

    /** A copy of the bytes: the document stays as hashed whatever callers do with what they get. */
    public byte[] body() {
        return body.clone();
    }

    public String contentType() {
        return contentType;
    }

    public String hash() {
        return hash;
    }

    public String etag() {
        return '"' + hash + '"';
    }

    /**
     * 304 with no body when the client's {@code If-None-Match} names this version, else 200 with the body; both
     * carry the ETag and the given headers.
     */
    public ServedDocument serve(String ifNoneMatch, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("ETag", etag());
        if (etag().equals(ifNoneMatch)) {
            return new ServedDocument(304, new byte[0], all);
        }
        all.put("Content-Type", contentType);
        return new ServedDocument(200, body.clone(), all);
    }

    private static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes)).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
    }
}
