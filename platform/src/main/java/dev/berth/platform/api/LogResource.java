package dev.berth.platform.api;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.LocalEngine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.logging.Logger;

/**
 * {@code GET /berth/v1/namespaces/{ns}/pods/{pod}/log?tailLines=&follow=}: a replica's stdout and stderr, streamed. A
 * follow takes a slot of {@link OpenStreams} (429 beyond the caps) and ends, releasing its worker thread and file,
 * within {@link #CLIENT_CHECK_MS} plus one log poll of the client going away, even when the pod writes nothing.
 */
@Path("/berth/v1/namespaces/{namespace}/pods/{pod}/log")
public class LogResource {

    private static final Logger LOG = Logger.getLogger(LogResource.class);
    /** How often a follow checks that its client is still connected (a write only fails once there is a line). */
    static final long CLIENT_CHECK_MS = 250;

    private final LocalEngine engine;
    private final OpenStreams streams;
    private final Vertx vertx;

    public LogResource(LocalEngine engine, OpenStreams streams, Vertx vertx) {
        this.engine = engine;
        this.streams = streams;
        this.vertx = vertx;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Role.Names.VIEWER)
    public StreamingOutput log(@PathParam("namespace") String namespace, @PathParam("pod") String pod,
            @QueryParam("tailLines") Integer tailLines, @QueryParam("follow") @DefaultValue("false") boolean follow,
            @Context SecurityContext caller, @Context HttpServerResponse response) {
        OpenStreams.Slot slot = follow ? streams.open(OpenStreams.Stream.FOLLOW, caller.getUserPrincipal().getName()) : null;
        InputStream in;
        try {
            in = engine.logs(namespace, pod, tailLines, follow);
        } catch (RuntimeException e) {
            closeQuietly(slot);
            throw e;
        }
        long clientCheck = follow ? vertx.setPeriodic(CLIENT_CHECK_MS, id -> {
            if (response.closed()) {
                closeQuietly(in); // the reading thread sees end-of-stream and returns
            }
        }) : -1;
        return out -> {
            try (in) {
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    if (follow) {
                        out.flush();
                    }
                }
            } finally {
                if (follow) {
                    vertx.cancelTimer(clientCheck);
                }
                closeQuietly(slot);
            }
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            LOG.debugf("closing a log stream: %s", e.toString());
        }
    }
}
