package dev.berth.platform.apiserver;

import static dev.berth.platform.apiserver.ApiOverStore.files;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.apiserver.ApiOverStore.Answer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * autoscaling/v1 HorizontalPodAutoscalers served from the autoscaling/v2 storage, against a live API over a store: what
 * is written through one version is read through the other; every verb and patch type, the status subresource,
 * discovery and OpenAPI (the Table is KubectlIT's); a malformed round-trip annotation refused with nothing written.
 */
class AutoscalingV1ApiTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    static final String V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    static final String ADMIN = CoreApiTokens.ADMIN;
    static final String WEB = "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"web\"},"
            + "\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"},\"minReplicas\":1,"
            + "\"maxReplicas\":3,\"targetCPUUtilizationPercentage\":80}}";

    @Test
    void aV1AutoscalerIsStoredAsV2AndReadThroughBoth(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            Answer created = core.send("POST", V1, ADMIN, "application/json", WEB);
            assertThat(created.code()).as(created.body()).isEqualTo(201);
            assertThat(tree(created).path("apiVersion").asText()).isEqualTo("autoscaling/v1");
            assertThat(tree(created).path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(80);

            JsonNode v2 = tree(core.send("GET", V2 + "/web", ADMIN, null, null));
            assertThat(v2.path("spec").path("metrics")).isEqualTo(MAPPER.readTree(
                    "[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":80}}}]"));

            // server-side apply through v1 (its configuration converted to v2: targetCPUUtilizationPercentage claims spec.metrics)
            Answer applied = core.send("PATCH", V1 + "/web?fieldManager=tester&force=true", ADMIN, "application/apply-patch+yaml",
                    "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: "
                            + "{apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 5\n  targetCPUUtilizationPercentage: 70\n");
            assertThat(applied.code()).as(applied.body()).isEqualTo(200);
            assertThat(tree(applied).path("spec").path("maxReplicas").asInt()).isEqualTo(5);
            assertThat(tree(applied).path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
            // a v2 metric v1 has no field for: kept in the annotation, and not lost by a write through v1
            Answer merged = core.send("PATCH", V2 + "/web", ADMIN, "application/merge-patch+json", "{\"spec\":{\"metrics\":["
                    + "{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":80}}},"
                    + "{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"rps\"},\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"10\"}}}]}}");
            assertThat(merged.code()).as(merged.body()).isEqualTo(200);
            JsonNode v1 = tree(core.send("GET", V1 + "/web", ADMIN, null, null));
            assertThat(v1.path("metadata").path("annotations").path("autoscaling.alpha.kubernetes.io/metrics").asText())
                    .isEqualTo("[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"rps\",\"targetAverageValue\":\"10\"}}]");

            // each patch type through v1
            Answer mergePatch = core.send("PATCH", V1 + "/web", ADMIN, "application/merge-patch+json", "{\"spec\":{\"maxReplicas\":4}}");
            assertThat(tree(mergePatch).path("spec").path("maxReplicas").asInt()).as(mergePatch.body()).isEqualTo(4);
            Answer strategic = core.send("PATCH", V1 + "/web", ADMIN, "application/strategic-merge-patch+json",
                    "{\"spec\":{\"targetCPUUtilizationPercentage\":60}}");
            assertThat(tree(strategic).path("spec").path("targetCPUUtilizationPercentage").asInt()).as(strategic.body()).isEqualTo(60);
            Answer jsonPatch = core.send("PATCH", V1 + "/web", ADMIN, "application/json-patch+json",
                    "[{\"op\":\"replace\",\"path\":\"/spec/minReplicas\",\"value\":2}]");
            assertThat(tree(jsonPatch).path("spec").path("minReplicas").asInt()).as(jsonPatch.body()).isEqualTo(2);
            JsonNode afterPatches = tree(core.send("GET", V2 + "/web", ADMIN, null, null));
            assertThat(afterPatches.path("spec").path("minReplicas").asInt()).isEqualTo(2);
            assertThat(afterPatches.path("spec").path("metrics").findValuesAsText("name")).containsExactlyInAnyOrder("rps", "cpu");

            // the status subresource through v1: only the status changes
            JsonNode current = tree(core.send("GET", V1 + "/web", ADMIN, null, null));
            ((com.fasterxml.jackson.databind.node.ObjectNode) current).putObject("status").put("currentReplicas", 2).put("desiredReplicas", 3)
                    .put("currentCPUUtilizationPercentage", 95);
            ((com.fasterxml.jackson.databind.node.ObjectNode) current.path("spec")).put("maxReplicas", 9);
            ((com.fasterxml.jackson.databind.node.ObjectNode) current.path("metadata")).remove("annotations");
            Answer status = core.send("PUT", V1 + "/web/status", ADMIN, "application/json", current.toString());
            assertThat(status.code()).as(status.body()).isEqualTo(200);
            JsonNode v2Status = tree(core.send("GET", V2 + "/web", ADMIN, null, null));
            assertThat(v2Status.path("status").path("desiredReplicas").asInt()).isEqualTo(3);
            assertThat(v2Status.path("status").path("currentMetrics").findValue("averageUtilization").asInt()).isEqualTo(95);
            assertThat(v2Status.path("spec").path("maxReplicas").asInt()).as("the status subresource ignores the spec").isEqualTo(4);

            // list
            JsonNode list = tree(core.send("GET", V1, ADMIN, null, null));
            assertThat(list.path("apiVersion").asText() + " " + list.path("kind").asText()).isEqualTo("autoscaling/v1 HorizontalPodAutoscalerList");
            assertThat(list.path("items").get(0).path("apiVersion").asText()).isEqualTo("autoscaling/v1");
        }
    }

    @Test
    void aV1WatchSeesV2WritesAsV1(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            HttpResponse<java.io.InputStream> watch = core.stream(V1 + "?watch=true", ADMIN);
            assertThat(watch.statusCode()).isEqualTo(200);
            Answer created = core.send("POST", V2, ADMIN, "application/json", "{\"apiVersion\":\"autoscaling/v2\",\"kind\":"
                    + "\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"api\"},\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\","
                    + "\"kind\":\"Deployment\",\"name\":\"api\"},\"maxReplicas\":2}}");
            assertThat(created.code()).as(created.body()).isEqualTo(201);
            try (BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
                JsonNode event = MAPPER.readTree(events.readLine());
                assertThat(event.path("type").asText()).isEqualTo("ADDED");
                assertThat(event.path("object").path("apiVersion").asText()).isEqualTo("autoscaling/v1");
                assertThat(event.path("object").path("spec").path("targetCPUUtilizationPercentage").asInt())
                        .as("v2's default metric, read through v1").isEqualTo(80);
            }
        }
    }

    @Test
    void aMalformedRoundTripAnnotationIsABadRequestAndWritesNothing(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            Map<String, String> before = files(tmp);
            Answer refused = core.send("POST", V1, ADMIN, "application/json", WEB.replace("\"metadata\":{\"name\":\"web\"}",
                    "\"metadata\":{\"name\":\"web\",\"annotations\":{\"autoscaling.alpha.kubernetes.io/metrics\":\"[{oops\"}}"));
            assertThat(refused.code()).isEqualTo(400);
            assertThat(refused.status().getReason()).isEqualTo("BadRequest");
            assertThat(refused.status().getMessage()).startsWith("the annotation autoscaling.alpha.kubernetes.io/metrics is not JSON");
            assertThat(files(tmp)).isEqualTo(before);
        }
    }

    @Test
    void discoveryListsV2PreferredThenV1AndOpenApiServesV1(@TempDir Path tmp) throws Exception {
        try (ApiOverStore core = new ApiOverStore(tmp)) {
            JsonNode group = tree(core.send("GET", "/apis/autoscaling", ADMIN, null, null));
            assertThat(group.path("versions").findValuesAsText("groupVersion")).containsExactly("autoscaling/v2", "autoscaling/v1");
            assertThat(group.path("preferredVersion").path("version").asText()).isEqualTo("v2");
            JsonNode v1 = tree(core.send("GET", "/apis/autoscaling/v1", ADMIN, null, null));
            assertThat(v1.path("resources").findValuesAsText("name")).contains("horizontalpodautoscalers", "horizontalpodautoscalers/status");
            Answer openApi = core.send("GET", "/openapi/v3/apis/autoscaling/v1", ADMIN, null, null);
            assertThat(openApi.code()).isEqualTo(200);
            JsonNode schemas = MAPPER.readTree(openApi.body()).path("components").path("schemas");
            assertThat(schemas.path("io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec").path("properties").has("targetCPUUtilizationPercentage"))
                    .as(openApi.body().substring(0, Math.min(400, openApi.body().length()))).isTrue();
        }
    }

    private static JsonNode tree(Answer answer) throws java.io.IOException {
        return MAPPER.readTree(answer.body());
    }
}
