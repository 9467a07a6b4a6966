package dev.berth.platform.apiserver;

import static dev.berth.platform.api.manifest.ManifestCheckTest.DEPLOYMENT;
import static dev.berth.platform.apiserver.ApiOverStore.files;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.apiserver.ApiOverStore.Answer;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confirmed bad requests of issue 12, against the Kubernetes API's write paths: each refused with a Status naming
 * the field (422 Invalid, or 400 BadRequest where kube-apiserver answers so), nothing written.
 */
class ApplyRefusalTest {

    static final String CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LOG_LEVEL: INFO}\n";
    static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
    static final String JSON = "application/json";
    static final String YAML = "application/yaml";
    static final String APPLY = "application/apply-patch+yaml";
    static final String MERGE = "application/merge-patch+json";

    /** The old API wrote the ConfigMap's JSON into an absolute directory given as the namespace. */
    @Test
    void anAbsoluteDirectoryAsNamespaceIsRefusedAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path outside = tmp.resolve("outside").toAbsolutePath();
        String namespace = "/api/v1/namespaces/" + URLEncoder.encode(outside.toString(), StandardCharsets.UTF_8) + "/configmaps";
        try (ApiOverStore core = new ApiOverStore(tmp.resolve("core"))) {
            Map<String, String> before = files(tmp);

            Answer create = core.send("POST", namespace, CoreApiTokens.ADMIN, YAML, CONFIGMAP);
            assertThat(create.code()).isEqualTo(422);
            assertThat(create.status().getReason()).isEqualTo("Invalid");
            assertThat(create.causes()).containsExactly("metadata.name");
            assertThat(create.status().getDetails().getKind()).isEqualTo("Namespace");
            Answer apply = core.send("PATCH", namespace + "/settings?fieldManager=test", CoreApiTokens.ADMIN, APPLY, CONFIGMAP);
            assertThat(apply.code()).isEqualTo(422);
            assertThat(apply.causes()).containsExactly("metadata.namespace");
            // the body's namespace must be the URL's
            Answer body = core.send("POST", "/api/v1/namespaces/default/configmaps", CoreApiTokens.ADMIN, YAML,
                    CONFIGMAP.replace("{name: settings}", "{name: settings, namespace: '" + outside + "'}"));
            assertThat(body.code()).isEqualTo(400);
            assertThat(body.status().getReason()).isEqualTo("BadRequest");

            assertThat(outside).doesNotExist();
            assertThat(files(tmp)).isEqualTo(before);
        }
    }

    /** Namespaces and names in the URL of every verb: never a path, whatever their escapes. */
    @Test
    void theUrlsNamespaceAndNameAreCheckedOnEveryVerb(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            Map<String, String> before = files(tmp);
            for (String path : new String[] {"/api/v1/namespaces/%2E%2E/configmaps/settings", "/api/v1/namespaces/default/configmaps/a%2Fb",
                    "/api/v1/namespaces/default/configmaps/%2E%2E", "/api/v1/namespaces/%2Fetc/configmaps/settings"}) {
                assertThat(core.send("GET", path, CoreApiTokens.ADMIN, null, null).code()).as("GET " + path).isBetween(400, 422);
                assertThat(core.send("PUT", path, CoreApiTokens.ADMIN, YAML, CONFIGMAP).code()).as("PUT " + path).isBetween(400, 422);
                assertThat(core.send("PATCH", path, CoreApiTokens.ADMIN, MERGE, "{\"data\":{\"k\":\"v\"}}").code()).as("PATCH " + path)
                        .isBetween(400, 422);
                assertThat(core.send("PATCH", path + "?fieldManager=test", CoreApiTokens.ADMIN, APPLY, CONFIGMAP).code())
                        .as("apply " + path).isBetween(400, 422);
                assertThat(core.send("DELETE", path, CoreApiTokens.ADMIN, null, null).code()).as("DELETE " + path).isBetween(400, 422);
            }
            assertThat(files(tmp)).isEqualTo(before);
        }
    }

    /** {@code {"apiVersion":"v1","kind":"ConfigMap"}} was a 500, on apply and on replace. */
    @Test
    void aManifestWithoutMetadataIsRefusedNamingMetadataName(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            Map<String, String> before = files(tmp);
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}";

            Answer create = core.send("POST", "/api/v1/namespaces/default/configmaps", CoreApiTokens.DEPLOYER, JSON, body);
            assertThat(create.code()).isEqualTo(422);
            assertThat(create.causes()).containsExactly("metadata.name");
            assertThat(create.status().getMessage()).isEqualTo("ConfigMap \"\" is invalid: metadata.name: name or generateName is required");
            // kube-apiserver's checkName: a BadRequest naming both names
            Answer replace = core.send("PUT", "/api/v1/namespaces/default/configmaps/settings", CoreApiTokens.DEPLOYER, JSON, body);
            assertThat(replace.code()).isEqualTo(400);
            assertThat(replace.status().getMessage()).isEqualTo("the name of the object () does not match the name on the URL (settings)");
            Answer apply = core.send("PATCH", "/api/v1/namespaces/default/configmaps/settings?fieldManager=test", CoreApiTokens.DEPLOYER, APPLY, body);
            assertThat(apply.code()).isEqualTo(400);
            assertThat(apply.status().getMessage()).isEqualTo("the name of the object () does not match the name on the URL (settings)");

            assertThat(files(tmp)).isEqualTo(before);
        }
    }

    /**
     * The old API accepted {@code scale {"replicas":101}} although apply capped replicas at 100; so were replace and
     * rollout. Every write path of the Kubernetes API holds the cap (create: {@link KubernetesApiTest}).
     */
    @Test
    void theReplicaCapHoldsOnEveryWritePath(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            assertThat(core.send("POST", DEPLOYMENTS, CoreApiTokens.DEPLOYER, YAML, DEPLOYMENT).code()).isEqualTo(201);
            ObjectKey key = new ObjectKey(ResourceKind.DEPLOYMENT, "default", "web");
            Map<String, String> before = files(tmp);
            Deployment stored = core.store.<Deployment>get(key).orElseThrow();
            stored.getSpec().setReplicas(101);

            Map<String, Answer> refused = Map.of(
                    "scale PUT 101", core.send("PUT", DEPLOYMENTS + "/web/scale", CoreApiTokens.DEPLOYER, JSON, scale(101)),
                    "scale PUT -1", core.send("PUT", DEPLOYMENTS + "/web/scale", CoreApiTokens.DEPLOYER, JSON, scale(-1)),
                    "scale PATCH", core.send("PATCH", DEPLOYMENTS + "/web/scale", CoreApiTokens.DEPLOYER, MERGE, "{\"spec\":{\"replicas\":101}}"),
                    "PUT", core.send("PUT", DEPLOYMENTS + "/web", CoreApiTokens.DEPLOYER, JSON, ApiOverStore.JSON.asJson(stored)),
                    "merge PATCH", core.send("PATCH", DEPLOYMENTS + "/web", CoreApiTokens.DEPLOYER, MERGE, "{\"spec\":{\"replicas\":101}}"),
                    "apply", core.send("PATCH", DEPLOYMENTS + "/web?fieldManager=test&force=true", CoreApiTokens.DEPLOYER, APPLY,
                            DEPLOYMENT.replace("replicas: 2", "replicas: 101")));
            refused.forEach((path, answer) -> {
                assertThat(answer.code()).as(path + ": " + answer.body()).isEqualTo(422);
                assertThat(answer.status().getReason()).as(path).isEqualTo("Invalid");
                assertThat(answer.causes()).as(path).containsExactly("spec.replicas");
            });

            assertThat(files(tmp)).isEqualTo(before);
            assertThat(core.store.<Deployment>get(key).orElseThrow().getSpec().getReplicas()).isEqualTo(2);
            // within the cap every path still works
            assertThat(core.send("PUT", DEPLOYMENTS + "/web/scale", CoreApiTokens.DEPLOYER, JSON, scale(100)).code()).isEqualTo(200);
            assertThat(core.store.<Deployment>get(key).orElseThrow().getSpec().getReplicas()).isEqualTo(100);
        }
    }

    private static String scale(int replicas) {
        return "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":" + replicas + "}}";
    }
}
