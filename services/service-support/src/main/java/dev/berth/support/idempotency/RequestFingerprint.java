package dev.berth.support.idempotency;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 fingerprint of the parts of a request that define it, stored next to its idempotency key so
 * a replay with the same key can be told apart from a different request reusing it.
 *
 * <p>Parts are length-prefixed, so {@code ("ab","c")} and {@code ("a","bc")} differ; amounts are
 * normalised ({@code 10.0} and {@code 10.00} are the same money). Pure and thread-safe.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {}

    public static String of(Object... parts) {
        MessageDigest sha = sha256();
        for (Object part : parts) {
            byte[] bytes = canonical(part).getBytes(StandardCharsets.UTF_8);
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) ':');
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String canonical(Object part) {
        if (part == null) {
            return "\u0000null";
        }
        if (part instanceof BigDecimal amount) {
            return amount.stripTrailingZeros().toPlainString();
        }
        return part.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
