package dev.berth.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem details document ({@code application/problem+json}).
 *
 * <p>{@code errors} names every offending field so a client can point at it; {@code traceId} lets an
 * operator find the request in the logs. A problem never carries a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        URI type, String title, int status, String detail, String instance, String traceId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: the field's path as the client sent it ({@code items[0].quantity}) and why. */
    public record FieldError(String field, String message) {}
}
