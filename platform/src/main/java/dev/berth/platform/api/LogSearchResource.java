package dev.berth.platform.api;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.LocalCore;
import dev.berth.platform.logs.LogSearch;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /berth/v1/logs?q=&namespace=&limit=}: shipped log lines from Elasticsearch matching a query string,
 * oldest first ({@code berth logs --search}). 503 when the core ships no logs, 400 for a query Elasticsearch rejects.
 */
@Path("/berth/v1/logs")
public class LogSearchResource {

    static final int MAX_LIMIT = 10_000;

    private final LocalCore core;

    public LogSearchResource(LocalCore core) {
        this.core = core;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.VIEWER)
    public Map<String, List<ObjectNode>> search(@QueryParam("q") String query, @QueryParam("namespace") String namespace,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (query == null || query.isBlank()) {
            throw new EngineException(400, "q is required: a query string such as trace.id:4bf92f3577b34da6 or log.level:ERROR");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new EngineException(400, "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        LogSearch search = core.logSearch().orElseThrow(() ->
                new EngineException(503, "this core ships no logs: start it with berth.logs.elasticsearch-url (./berth up does)"));
        try {
            return Map.of("lines", search.search(query, namespace == null || namespace.isBlank() ? null : namespace, limit));
        } catch (LogSearch.BadQueryException e) {
            throw new EngineException(400, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new EngineException(503, "Elasticsearch did not answer: " + e.getMessage());
        }
    }
}
