package dev.berth.platform.apiserver;

import dev.berth.platform.apiserver.discovery.DiscoveryDocuments;
import dev.berth.platform.apiserver.discovery.ServedDocument;
import dev.berth.platform.apiserver.openapi.FieldExtensions;
import dev.berth.platform.apiserver.openapi.OpenApiDocuments;
import dev.berth.platform.apiserver.patch.PatchMeta;
import dev.berth.platform.apiserver.patch.PatchSchema;
import dev.berth.platform.apiserver.patch.Patches;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The API's documents (discovery, OpenAPI v3) and the patch engine, built once on a background thread at start —
 * building them costs seconds of class loading and introspection that should not delay the core's start; the first
 * requests wait for them. The OpenAPI schemas carry the strategic-merge metadata of {@link PatchSchema}, so
 * {@code kubectl apply} computes the same patches it computes against a cluster.
 */
final class ApiDocuments {

    private final CompletableFuture<DiscoveryDocuments> discovery;
    private final CompletableFuture<OpenApiDocuments> openApi;
    private final CompletableFuture<Patches> patches;

    ApiDocuments(String serverAddress, String berthVersion) {
        this.discovery = CompletableFuture.supplyAsync(() -> DiscoveryDocuments.forServedKinds(serverAddress, berthVersion));
        this.patches = CompletableFuture.supplyAsync(() -> new Patches(PatchSchema.kubernetes()));
        this.openApi = CompletableFuture.supplyAsync(() -> OpenApiDocuments.forServedKinds(patchExtensions(PatchSchema.kubernetes())));
    }

    /** {@code x-kubernetes-patch-merge-key} / {@code x-kubernetes-patch-strategy} as upstream's Go tags put them. */
    static FieldExtensions patchExtensions(PatchSchema schema) {
        return (owner, property) -> schema.find(owner, property).map(ApiDocuments::extensions).orElse(Map.of());
    }

    private static Map<String, Object> extensions(PatchMeta meta) {
        Map<String, Object> x = new LinkedHashMap<>();
        if (!meta.mergeKey().isEmpty()) {
            x.put("x-kubernetes-patch-merge-key", meta.mergeKey());
        }
        x.put("x-kubernetes-patch-strategy", meta.patchStrategy());
        return x;
    }

    Optional<ServedDocument> discovery(String path, String accept, String ifNoneMatch) {
        return get(discovery).serve(path, accept, ifNoneMatch);
    }

    Optional<ServedDocument> openApi(String path, String hash, String accept, String ifNoneMatch) {
        return get(openApi).serve(path, hash, accept, ifNoneMatch);
    }

    Patches patches() {
        return get(patches);
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted while the API documents were built");
        } catch (ExecutionException e) {
            throw new IllegalStateException("building the API documents failed", e.getCause());
        }
    }
}
