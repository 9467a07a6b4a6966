package dev.berth.platform.api;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.Engine;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/** {@code GET /api/v1/namespaces/{ns}/pods/{pod}/log?tailLines=&follow=}: a replica's stdout and stderr, streamed. */
@Path("/api/v1/namespaces/{namespace}/pods/{pod}/log")
public class LogResource {

    private final Engine engine;

    public LogResource(Engine engine) {
        this.engine = engine;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Role.Names.VIEWER)
    public StreamingOutput log(@PathParam("namespace") String namespace, @PathParam("pod") String pod,
            @QueryParam("tailLines") Integer tailLines, @QueryParam("follow") @DefaultValue("false") boolean follow) {
        InputStream in = engine.logs(namespace, pod, tailLines, follow);
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
            }
        };
    }
}
