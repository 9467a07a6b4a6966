package dev.berth.platform.apiserver;

import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.runtime.GracefulDeletion;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The Kubernetes API on the core's port: every path under {@code /api} and {@code /apis} goes through one handler
 * chain (body limit → authenticate → request info → authorize → storage → encode, see {@link ApiHandler}).
 */
@Singleton
public class ApiServer {

    /** kube-apiserver's limit on a request body (3 MiB). */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    private final WatchCache cache;
    private final ApiHandler handler;

    public ApiServer(ObjectStore store, KubernetesSerialization json, ManifestValidator validator, TokenFile tokens, Engine engine,
            OpenStreams streams, Vertx vertx, Clock clock, CoreConfig config) {
        this.cache = new WatchCache(store, config.streams().watchCacheSize());
        ResourceStorage storage = new ResourceStorage(store, json, validator, new GracefulDeletion(store, clock));
        this.handler = new ApiHandler(storage, cache, store, json, tokens, engine, streams, vertx);
    }

    void routes(@Observes Router router) {
        router.routeWithRegex("^/apis?(/.*)?$").order(-101).handler(ctx -> {
            if ("websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
                handler.upgrade(ctx);
            } else {
                ctx.next();
            }
        });
        router.routeWithRegex("^/apis?(/.*)?$").order(-100)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .blockingHandler(handler, false)
                .failureHandler(handler::failure);
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        cache.close();
    }
}
