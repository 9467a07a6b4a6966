package dev.berth.platform.api;

import dev.berth.platform.api.auth.ReadAccess;
import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code GET /berth/v1/watch/{resource}}: server-sent events, one per change ({@code event: ADDED|MODIFIED|DELETED},
 * {@code data: {"type":…,"object":…}}), until the client goes away. Each watch takes a slot of {@link OpenStreams}
 * (429 beyond the caps), given back with the store subscription within {@link LogResource#CLIENT_CHECK_MS} of the
 * client leaving, also when no event comes.
 */
@Path("/berth/v1/watch")
public class WatchResource {

    private static final Logger LOG = Logger.getLogger(WatchResource.class);

    private final LocalEngine engine;
    private final KubernetesSerialization json;
    private final OpenStreams streams;
    private final Vertx vertx;

    public WatchResource(LocalEngine engine, KubernetesSerialization json, OpenStreams streams, Vertx vertx) {
        this.engine = engine;
        this.json = json;
        this.streams = streams;
        this.vertx = vertx;
    }

    @GET
    @Path("{resource}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Role.Names.VIEWER)
    public void watch(@PathParam("resource") String resource, @QueryParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector, @Context SseEventSink sink, @Context Sse sse,
            @Context SecurityContext caller, @Context HttpServerResponse response) {
        ResourceKind kind = ObjectResource.kind(resource);
        ReadAccess.check(caller, ReadAccess.Verb.WATCH, kind);
        OpenStreams.Slot slot = streams.open(OpenStreams.Stream.WATCH, caller.getUserPrincipal().getName());
        Watch watch = new Watch(slot);
        try {
            watch.subscription = engine.watch(kind, namespace == null || namespace.isEmpty() ? null : namespace, labelSelector,
                    (WatchEvent e) -> {
                        if (sink.isClosed()) {
                            watch.close();
                            return;
                        }
                        String data = "{\"type\":\"" + e.type() + "\",\"object\":" + json.asJson(e.object()) + "}";
                        sink.send(sse.newEventBuilder().name(e.type().name()).id(Long.toString(e.resourceVersion()))
                                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build())
                                .whenComplete((ok, error) -> {
                                    if (error != null) {
                                        watch.close();
                                    }
                                });
                    });
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        watch.clientCheck = vertx.setPeriodic(LogResource.CLIENT_CHECK_MS, id -> {
            if (watch.closed.get() || sink.isClosed() || response.closed()) {
                vertx.cancelTimer(id);
                watch.close();
            }
        });
        // an opening comment flushes the headers, so clients know the watch is established
        sink.send(sse.newEventBuilder().comment("watching " + resource).build());
    }

    /** One watch's resources, released once. */
    private final class Watch {
        private final OpenStreams.Slot slot;
        private final AtomicBoolean closed = new AtomicBoolean();
        volatile AutoCloseable subscription;
        volatile long clientCheck = -1;

        Watch(OpenStreams.Slot slot) {
            this.slot = slot;
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                if (subscription != null) {
                    subscription.close();
                }
            } catch (Exception e) {
                LOG.debugf("closing a watch: %s", e.toString());
            }
            if (clientCheck >= 0) {
                vertx.cancelTimer(clientCheck);
            }
            slot.close();
        }
    }
}
