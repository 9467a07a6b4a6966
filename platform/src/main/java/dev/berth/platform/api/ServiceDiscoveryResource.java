package dev.berth.platform.api;

import dev.berth.platform.api.auth.Role;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.metrics.ScrapeTargets;
import dev.berth.platform.model.ResourceKind;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /berth/v1/sd/prometheus}: Prometheus HTTP service discovery of every Ready replica that asks to be
 * scraped, and of the core itself ({@link ScrapeTargets}). Prometheus polls it with a discovery token (a role that can read nothing else but the Pod list)
 * ({@code http_sd_configs} with {@code authorization.credentials_file}).
 */
@Path("/berth/v1/sd")
public class ServiceDiscoveryResource {

    private final LocalEngine engine;
    private final int port;

    public ServiceDiscoveryResource(LocalEngine engine, @ConfigProperty(name = "quarkus.http.port") int port) {
        this.engine = engine;
        this.port = port;
    }

    @GET
    @Path("prometheus")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.DISCOVERY)
    public List<ScrapeTargets.TargetGroup> prometheus() {
        return ScrapeTargets.of(engine.list(ResourceKind.POD), engine.list(ResourceKind.NODE), engine.list(ResourceKind.REPLICASET), port);
    }
}
