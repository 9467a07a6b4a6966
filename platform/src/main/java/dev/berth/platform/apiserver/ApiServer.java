package dev.berth.platform.apiserver;

import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.apiserver.rbac.BootstrapReconciler;
import dev.berth.platform.apiserver.rbac.RbacAuthorizer;
import dev.berth.platform.apiserver.rbac.StoreRbacObjects;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kubernetes API on the core's port: every path under {@code /api} and {@code /apis} goes through one handler
 * chain (body limit → authenticate → request info → authorize → storage → encode, see {@link ApiHandler}).
 */
@Singleton
public class ApiServer {

    /** kube-apiserver's limit on a request body (3 MiB). */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
    /** What {@code /version} reports beside the Kubernetes version whose behaviour the core follows. */
    static final String BERTH_VERSION = "0.1.0";
    private final WatchCache cache;
    private final ApiHandler handler;
    private final Vertx vertx;
    private final CoreConfig config;
    private final Path certificateDir;
    private final CompletableFuture<ServingCertificate> certificate;
    private volatile HttpServer secureServer;

    public ApiServer(ObjectStore store, KubernetesSerialization json, ManifestValidator validator, TokenFile tokens, LocalEngine engine,
            OpenStreams streams, Vertx vertx, Clock clock, CoreConfig config,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.port") int port) {
        this.cache = new WatchCache(store, config.streams().watchCacheSize(), json);
        this.vertx = vertx;
        this.config = config;
        this.certificateDir = certificateDir(config.stateDir());
        // read, or on a first start made, while the store opens and the RBAC bootstrap writes: making one takes about
        // 0.4 s of CPU (the key pair, BouncyCastle's classes and the signatures of its jars checked as they open) and the
        // bootstrap's writes mostly wait on fsync; secure() waits for it
        this.certificate = CompletableFuture.supplyAsync(() -> ServingCertificate.loadOrCreate(certificateDir),
                task -> new Thread(task, "serving-certificate").start());
        ResourceStorage storage = new ResourceStorage(store, json, validator, new GracefulDeletion(store, clock));
        BootstrapReconciler.reconcile(store); // upstream's rbac/bootstrap-roles hook, before the API serves a request
        this.handler = new ApiHandler(storage, cache, store, json, tokens, engine, streams, vertx,
                new ApiDocuments("127.0.0.1:" + port, BERTH_VERSION), clock, new RbacAuthorizer(new StoreRbacObjects(store)));
    }

    /**
     * Serves everything the router serves also over TLS on {@code berth.apiserver.secure-port}, with the
     * {@link ServingCertificate} kept in the state directory. Blocks the start until the port listens.
     */
    void secure(Router router) {
        ServingCertificate certificate;
        try {
            certificate = this.certificate.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the API's serving certificate was read or made", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(config.apiserver().securePort())
                .setKeyCertOptions(certificate.keyCertOptions());
        try {
            secureServer = vertx.createHttpServer(options).requestHandler(router).listen().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the API's TLS port opened", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + config.apiserver().securePort() + " for the Kubernetes API", e);
        }
    }

    /** The TLS port the Kubernetes API listens on (the configured one, or the one picked for 0). */
    public int securePort() {
        return secureServer.actualPort();
    }

    /** Where the serving certificate is kept: {@code <state>/pki}. */
    public static Path certificateDir(Path stateDir) {
        return stateDir.resolve("pki");
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
        router.routeWithRegex("^/(version|openapi/v3)(/.*)?$").method(io.vertx.core.http.HttpMethod.GET).order(-100)
                .blockingHandler(handler::documents, false);
        secure(router);
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        cache.close();
        if (secureServer != null) {
            secureServer.close();
        }
    }
}
