package dev.berth.platform.api;

import dev.berth.platform.model.NameFormat;
import dev.berth.support.problem.Problem;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The names in every {@code /berth/v1} route checked once, before any resource method runs: the path parameter
 * {@code {name}} (a node's) and the {@code ?namespace=} query parameter (of the log search). A namespace is a DNS-1123
 * label, a name a DNS-1123 subdomain (the widest of the kinds' formats; the kind's own is checked where the key is
 * made, {@link dev.berth.platform.model.ObjectKey}). Anything else is a 400 naming the parameter, so no value such as
 * {@code /etc} or {@code ../..} reaches the engine. (The Kubernetes API checks its own, where it makes keys.)
 * Thread-safe.
 */
public class RouteNames {

    private static final Map<String, NameFormat> PATH_PARAMETERS = Map.of("name", NameFormat.DNS1123_SUBDOMAIN);

    @ServerRequestFilter
    public Optional<Response> check(UriInfo uri) {
        List<Problem.FieldError> errors = problems(uri.getPathParameters(), uri.getQueryParameters());
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return Optional.of(EngineProblems.problem(400, "validation-failed", "Bad Request", detail, uri, errors));
    }

    /** The problems of a request's namespace and names; empty when every one is valid. Pure. */
    static List<Problem.FieldError> problems(MultivaluedMap<String, String> path, MultivaluedMap<String, String> query) {
        List<Problem.FieldError> errors = new ArrayList<>();
        PATH_PARAMETERS.forEach((parameter, format) -> {
            String value = path.getFirst(parameter);
            if (value != null) {
                format.problem(value).ifPresent(p -> errors.add(new Problem.FieldError(parameter, p)));
            }
        });
        String namespace = query.getFirst("namespace");
        if (namespace != null && !namespace.isEmpty()) {
            NameFormat.DNS1123_LABEL.problem(namespace).ifPresent(p -> errors.add(new Problem.FieldError("namespace", p)));
        }
        return errors;
    }
}
