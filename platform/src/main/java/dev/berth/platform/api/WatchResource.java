package dev.berth.platform.api;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/watch/{resource}}: server-sent events, one per change ({@code event: ADDED|MODIFIED|DELETED},
 * {@code data: {"type":…,"object":…}}), until the client goes away.
 */
@Path("/api/v1/watch")
public class WatchResource {

    private static final Logger LOG = Logger.getLogger(WatchResource.class);

    private final Engine engine;
    private final KubernetesSerialization json;

    public WatchResource(Engine engine, KubernetesSerialization json) {
        this.engine = engine;
        this.json = json;
    }

    @GET
    @Path("{resource}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Role.Names.VIEWER)
    public void watch(@PathParam("resource") String resource, @QueryParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector, @Context SseEventSink sink, @Context Sse sse) {
        AutoCloseable[] subscription = new AutoCloseable[1];
        subscription[0] = engine.watch(ObjectResource.kind(resource), namespace == null || namespace.isEmpty() ? null : namespace, labelSelector,
                (WatchEvent e) -> {
                    if (sink.isClosed()) {
                        close(subscription[0]);
                        return;
                    }
                    String data = "{\"type\":\"" + e.type() + "\",\"object\":" + json.asJson(e.object()) + "}";
                    sink.send(sse.newEventBuilder().name(e.type().name()).id(Long.toString(e.resourceVersion()))
                            .mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build())
                            .whenComplete((ok, error) -> {
                                if (error != null) {
                                    close(subscription[0]);
                                }
                            });
                });
        // an opening comment flushes the headers, so clients know the watch is established
        sink.send(sse.newEventBuilder().comment("watching " + resource).build());
    }

    private static void close(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            LOG.debugf("closing a watch: %s", e.toString());
        }
    }
}
