package dev.berth.platform.api;

import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.model.InvalidObjectKeyException;
import dev.berth.platform.store.StoreException;
import dev.berth.support.problem.Problem;
import dev.berth.support.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The core's own failures as RFC 9457 problems: engine refusals with their status, invalid object keys (400), 401 and 403. */
public class EngineProblems {

    private static final String BASE = "https://berth.dev/problems/";

    @ServerExceptionMapper
    public Response engine(EngineException e, UriInfo uri) {
        String slug = switch (e.status()) {
            case 400 -> "validation-failed";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 429 -> "too-many-requests";
            default -> "engine-error";
        };
        String title = switch (e.status()) {
            case 404 -> ProblemType.NOT_FOUND.title();
            case 409 -> "The object has been modified or already exists";
            default -> Response.Status.fromStatusCode(e.status()) == null ? "Error" : Response.Status.fromStatusCode(e.status()).getReasonPhrase();
        };
        return problem(e.status(), slug, title, e.getMessage(), uri, e.errors());
    }

    /** A store refusal no route translated (e.g. a name that cannot be a file name): answered as the engine would. */
    @ServerExceptionMapper
    public Response store(StoreException e, UriInfo uri) {
        return engine(LocalEngine.translate(e), uri);
    }

    /** A namespace or name no key can be made of, wherever it was found: 400 naming the field. */
    @ServerExceptionMapper
    public Response invalidKey(InvalidObjectKeyException e, UriInfo uri) {
        return problem(400, "validation-failed", "Bad Request", e.getMessage(), uri, List.of(new Problem.FieldError(e.field(), e.problem())));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(problem(401, "unauthorized", "Authentication required",
                        "send 'Authorization: Bearer <token>' with a token from the core's token file", uri, List.of()))
                .header("WWW-Authenticate", "Bearer realm=\"berth\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "forbidden", "Forbidden", "this token's role does not allow " + uri.getPath(), uri, List.of());
    }

    static Response problem(int status, String slug, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        Problem p = new Problem(URI.create(BASE + slug), title, status, detail, uri.getPath(), null, errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
