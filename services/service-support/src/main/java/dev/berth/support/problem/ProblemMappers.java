package dev.berth.support.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure that can leave a service to {@code application/problem+json} (RFC 9457).
 *
 * <p>Thread-safe and stateless. Bodies name the offending field; nothing here ever writes a stack trace
 * into a response — unexpected errors are logged server-side and answered with a trace id instead.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = respond(e.type().status().getStatusCode(), e.type().uri(), e.type().title(), e.getMessage(), uri, e.errors());
        if (e.type().retryAfterSeconds() > 0) {
            response.getHeaders().putSingle("Retry-After", Integer.toString(e.type().retryAfterSeconds()));
        }
        return response;
    }

    // Quarkus's validator throws a subclass for REST parameters; mapping the subclass too keeps the
    // built-in (non-problem) mapper from winning by being more specific.
    @ServerExceptionMapper({
        ConstraintViolationException.class,
        io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException.class
    })
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        if (isReturnValueViolation(e)) {
            return unexpected(e, uri);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return respond(ProblemType.VALIDATION, detail, uri, errors);
    }

    @ServerExceptionMapper({
        JsonProcessingException.class,
        JsonParseException.class,
        JsonMappingException.class,
        MismatchedInputException.class,
        InvalidFormatException.class,
        UnrecognizedPropertyException.class
    })
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            String message = e instanceof UnrecognizedPropertyException ? "unknown field" : "has the wrong type or format";
            return respond(ProblemType.MALFORMED_BODY, field + ": " + message, uri, List.of(new Problem.FieldError(field, message)));
        }
        return respond(ProblemType.MALFORMED_BODY, "the body is not well-formed JSON", uri, List.of());
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        URI problemType = status == 404 ? ProblemType.NOT_FOUND.uri() : ABOUT_BLANK;
        String detail = status == 404 ? "no resource at " + uri.getPath() : type.getReasonPhrase();
        return respond(status, problemType, type.getReasonPhrase(), detail, uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "unexpected error serving %s", uri.getPath());
        return respond(ProblemType.INTERNAL, "an unexpected error occurred; quote the traceId when reporting it", uri, List.of());
    }

    private static Response respond(ProblemType type, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        return respond(type.status().getStatusCode(), type.uri(), type.title(), detail, uri, errors);
    }

    private static Response respond(int status, URI type, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        Object traceId = MDC.get("traceId");
        Problem problem = new Problem(type, title, status, detail, uri.getPath(), traceId == null ? null : traceId.toString(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static boolean isReturnValueViolation(ConstraintViolationException e) {
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getKind() == ElementKind.RETURN_VALUE) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The client's view of a violation path: {@code create.body.items[0].quantity} becomes
     * {@code items[0].quantity}; a bare parameter ({@code list.size}) becomes its name.
     */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> { }
                case PARAMETER -> parameter = node.getName();
                case CONTAINER_ELEMENT -> {
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    }
                }
                default -> {
                    if (node.getIndex() != null && field.length() > 0) {
                        field.append('[').append(node.getIndex()).append(']');
                    }
                    if (node.getName() != null) {
                        if (field.length() > 0) {
                            field.append('.');
                        }
                        field.append(node.getName());
                    }
                }
            }
        }
        if (field.length() > 0) {
            return field.toString();
        }
        return parameter != null ? parameter : path.toString();
    }

    static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
