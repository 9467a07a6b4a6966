package dev.berth.platform.api;

import static dev.berth.platform.api.ApiOverStore.files;
import static dev.berth.platform.api.ApiOverStore.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.ApiOverStore.Refusal;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The confirmed bad requests of issue 12 against the core's write path: each a 400 naming the field, nothing written. */
class ApplyRefusalTest {

    static final String CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LOG_LEVEL: INFO}\n";

    /** {@code POST /berth/v1/apply?namespace=<absolute directory>} wrote the ConfigMap's JSON into that directory. */
    @Test
    void anAbsoluteDirectoryAsNamespaceIsRefusedAndNothingIsWritten(@TempDir Path tmp) {
        Path outside = tmp.resolve("outside").toAbsolutePath();
        try (ApiOverStore core = new ApiOverStore(tmp.resolve("core"))) {
            Map<String, String> before = files(tmp);

            // the route: the URL-decoded query parameter, as the request filter sees it
            MultivaluedHashMap<String, String> query = new MultivaluedHashMap<>(Map.of("namespace", outside.toString()));
            assertThat(RouteNames.problems(new MultivaluedHashMap<>(), query)).extracting(Problem.FieldError::field).containsExactly("namespace");
            // the engine behind it, for every caller that is not the API
            Refusal refusal = refused(() -> core.api.apply(CONFIGMAP, outside.toString(), false));

            assertThat(refusal.status()).isEqualTo(400);
            assertThat(refusal.fields()).containsExactly("document[0].metadata.namespace");
            assertThat(outside).doesNotExist();
            assertThat(files(tmp)).isEqualTo(before);
        }
    }

    @Test
    void pathParametersOfEveryRouteAreChecked() {
        MultivaluedHashMap<String, String> path = new MultivaluedHashMap<>(Map.of("namespace", "..", "name", "a/b", "pod", "/etc"));
        assertThat(RouteNames.problems(path, new MultivaluedHashMap<>())).extracting(Problem.FieldError::field)
                .containsExactlyInAnyOrder("namespace", "name", "pod");
        MultivaluedHashMap<String, String> good = new MultivaluedHashMap<>(Map.of("namespace", "berth", "name", "order-service", "pod", "web-x.1"));
        assertThat(RouteNames.problems(good, new MultivaluedHashMap<>(Map.of("namespace", "")))).isEmpty();
    }

    /** {@code {"apiVersion":"v1","kind":"ConfigMap"}} was a 500, on apply and on replace. */
    @Test
    void aManifestWithoutMetadataIsRefusedNamingMetadataName(@TempDir Path tmp) {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            Map<String, String> before = files(tmp);
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}";
            assertThat(refused(() -> core.api.apply(body, null, false))).isEqualTo(new Refusal(400,
                    List.of(new Problem.FieldError("document[0].metadata.name", "is required"))));
            assertThat(refused(() -> core.api.replace("default", "configmaps", "settings", body)).fields())
                    .containsExactly("document[0].metadata.name");
            assertThat(files(tmp)).isEqualTo(before);
        }
    }

    /** {@code scale {"replicas":101}} was accepted although apply caps replicas at 100; so were replace and rollout. */
    @Test
    void theReplicaCapHoldsOnEveryWritePath(@TempDir Path tmp) {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            core.api.apply(DEPLOYMENT, null, false);
            ObjectKey key = new ObjectKey(ResourceKind.DEPLOYMENT, "default", "web");
            Map<String, String> before = files(tmp);

            Refusal scale = refused(() -> core.api.scale("default", "deployments", "web", new ObjectResource.ScaleRequest(101)));
            assertThat(scale.status()).isEqualTo(400);
            assertThat(scale.fields()).containsExactly("spec.replicas");
            assertThat(refused(() -> core.api.scale("default", "deployments", "web", new ObjectResource.ScaleRequest(-1))).fields())
                    .containsExactly("spec.replicas");

            Deployment stored = core.store.<Deployment>get(key).orElseThrow();
            stored.getSpec().setReplicas(101);
            Refusal replace = refused(() -> core.api.replace("default", "deployments", "web", ApiOverStore.JSON.asJson(stored)));
            assertThat(replace.fields()).containsExactly("document[0].spec.replicas");

            assertThat(files(tmp)).isEqualTo(before);
            assertThat(core.store.<Deployment>get(key).orElseThrow().getSpec().getReplicas()).isEqualTo(2);
            // within the cap every path still works
            core.api.scale("default", "deployments", "web", new ObjectResource.ScaleRequest(100));
            assertThat(core.store.<Deployment>get(key).orElseThrow().getSpec().getReplicas()).isEqualTo(100);
        }
    }

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: 127.0.0.1:5000/berth/web:1}]
            """;
}
