package dev.berth.platform.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * A patch that cannot be applied. Nothing was changed: patches work on copies. The reason is the Status kube-apiserver
 * answers for the same patch; the message says what is wrong and where, for the user.
 */
public final class PatchException extends RuntimeException {

    /** The HTTP answer a patch error maps to. */
    public enum Reason {
        /** The patch is not a patch of its type (not a list of operations, a malformed directive): 400. */
        BAD_REQUEST(400),
        /** The patch is well formed but does not apply to this object: 422. */
        INVALID(422),
        /** Strategic merge patch on a kind the schema does not describe, as for custom resources: 415. */
        UNSUPPORTED_MEDIA_TYPE(415),
        /** More JSON patch operations than kube-apiserver accepts: 413. */
        REQUEST_ENTITY_TOO_LARGE(413);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final Reason reason;

    PatchException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    static PatchException badRequest(String format, Object... args) {
        return new PatchException(Reason.BAD_REQUEST, String.format(format, args));
    }

    static PatchException invalid(String format, Object... args) {
        return new PatchException(Reason.INVALID, String.format(format, args));
    }

    /** A JSON value's type for a message: {@code object}, {@code array}, {@code string}, {@code null}… */
    static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    public Reason reason() {
        return reason;
    }
}
