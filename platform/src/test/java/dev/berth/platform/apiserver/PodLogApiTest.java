package dev.berth.platform.apiserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/namespaces/{ns}/pods/{name}/log} over the core's HTTP server with PodLogOptions: the current
 * instance, the previous one, timestamps, since, tail and the byte limit, and kube-apiserver's refusals — 422 with a
 * cause per field, 400 for what cannot be decoded, for a container the pod lacks and for a previous instance there
 * is not. The pods are bound to a node no kubelet of the core runs; their log files are written here, each with a known mtime,
 * which is the time the core's sampler records for its lines.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class PodLogApiTest {

    static final String RESTARTED = "restarted-talker";
    static final String FRESH = "fresh-talker";
    static final String NODE = "api-registered-node";
    static final Instant OLD = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    static final Instant NEW = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @Inject
    ObjectStore store;

    @BeforeEach
    void podsWithLogs() throws Exception {
        if (store.get(new ObjectKey(ResourceKind.POD, "default", RESTARTED)).isPresent()) {
            return;
        }
        // a Node registered through the API: no kubelet of the core's runs it, so the statuses written here stay
        store.create(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build());
        store.create(new PodBuilder().withNewMetadata().withName(RESTARTED).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage("none").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("app").withRestartCount(1).withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState().endContainerStatus().endStatus().build());
        store.create(new PodBuilder().withNewMetadata().withName(FRESH).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage("none").endContainer().endSpec().build());
        Path logs = CoreApiProfile.STATE.resolve("pods/default/" + RESTARTED + "/logs");
        writeWithMtime(logs.resolve("app.log"), "old 1\nold 2\n", OLD);
        writeWithMtime(logs.resolve("app.1.log"), "new 1\nnew 2\nnew 3\n", NEW);
    }

    /** Written aside and renamed into place, so the sampler's first look already sees the mtime. */
    static void writeWithMtime(Path file, String text, Instant mtime) throws Exception {
        Files.createDirectories(file.getParent());
        Path aside = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(aside, text);
        Files.setLastModifiedTime(aside, FileTime.from(mtime));
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
    }

    static RequestSpecification viewer() {
        return given().auth().oauth2(CoreApiTokens.VIEWER);
    }

    static String log(String pod, Map<String, ?> query) {
        return viewer().queryParams(query).get("/api/v1/namespaces/default/pods/" + pod + "/log")
                .then().statusCode(200).contentType("text/plain").extract().asString();
    }

    static JsonPath refusal(String pod, Map<String, ?> query, int code) {
        return viewer().queryParams(query).get("/api/v1/namespaces/default/pods/" + pod + "/log")
                .then().statusCode(code).extract().jsonPath();
    }

    static String stamp(Instant t) {
        return t.toString().replace("Z", ".000000000Z");
    }

    @Test
    void plainLogsAreTheCurrentInstanceAndPreviousTheOneBefore() {
        assertThat(log(RESTARTED, Map.of())).isEqualTo("new 1\nnew 2\nnew 3\n");
        assertThat(log(RESTARTED, Map.of("previous", "true"))).isEqualTo("old 1\nold 2\n");
        assertThat(log(RESTARTED, Map.of("previous", "true", "timestamps", "true", "tailLines", "1")))
                .isEqualTo(stamp(OLD) + " old 2\n");
    }

    @Test
    void timestampsSinceTailAndTheByteLimit() {
        assertThat(log(RESTARTED, Map.of("timestamps", "true", "tailLines", "1"))).isEqualTo(stamp(NEW) + " new 3\n");
        assertThat(log(RESTARTED, Map.of("sinceTime", NEW.toString()))).isEqualTo("new 1\nnew 2\nnew 3\n");
        assertThat(log(RESTARTED, Map.of("sinceTime", NEW.plusSeconds(1).toString()))).isEmpty();
        assertThat(log(RESTARTED, Map.of("sinceSeconds", "600"))).isEmpty(); // written an hour ago
        assertThat(log(RESTARTED, Map.of("sinceSeconds", "7200", "limitBytes", "8"))).isEqualTo("new 1\nne");
    }

    @Test
    void invalidOptionsAre422WithACausePerField() {
        JsonPath status = refusal(RESTARTED, Map.of("tailLines", "-1", "limitBytes", "0"), 422);
        assertThat(status.getString("reason")).isEqualTo("Invalid");
        assertThat(status.getString("message")).isEqualTo("PodLogOptions \"" + RESTARTED + "\" is invalid: "
                + "[tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]");
        assertThat(status.getString("details.kind")).isEqualTo("PodLogOptions");
        assertThat(status.getString("details.name")).isEqualTo(RESTARTED);
        assertThat(status.<String>getList("details.causes.field")).containsExactly("tailLines", "limitBytes");
        assertThat(status.<String>getList("details.causes.reason")).containsExactly("FieldValueInvalid", "FieldValueInvalid");

        JsonPath both = refusal(RESTARTED, Map.of("sinceSeconds", "5", "sinceTime", NEW.toString()), 422);
        assertThat(both.<String>getList("details.causes.reason")).containsExactly("FieldValueForbidden");
        assertThat(both.getString("message")).endsWith("at most one of `sinceTime` or `sinceSeconds` may be specified");
        assertThat(refusal(RESTARTED, Map.of("sinceSeconds", "0"), 422).<String>getList("details.causes.field")).containsExactly("sinceSeconds");
    }

    @Test
    void whatCannotBeDecodedOrServedIs400() {
        JsonPath time = refusal(RESTARTED, Map.of("sinceTime", "yesterday"), 400);
        assertThat(time.getString("reason")).isEqualTo("BadRequest");
        assertThat(time.getString("message")).startsWith("sinceTime: invalid value \"yesterday\"");
        assertThat(refusal(RESTARTED, Map.of("container", "nope"), 400).getString("message"))
                .isEqualTo("container nope is not valid for pod " + RESTARTED);
        assertThat(refusal(FRESH, Map.of("previous", "true"), 400).getString("message"))
                .isEqualTo("previous terminated container \"app\" in pod \"" + FRESH + "\" not found");
        assertThat(refusal("no-such-pod", Map.of(), 404).getString("reason")).isEqualTo("NotFound");
    }

    @Test
    void aPodWithSeveralContainersNeedsOneNamed() {
        String pod = "pair-talker";
        if (store.get(new ObjectKey(ResourceKind.POD, "default", pod)).isEmpty()) {
            Pod pair = new PodBuilder().withNewMetadata().withName(pod).withNamespace("default").endMetadata()
                    .withNewSpec().withNodeName(NODE).addNewContainer().withName("web").withImage("none").endContainer()
                    .addNewContainer().withName("sidecar").withImage("none").endContainer().endSpec().build();
            store.create(pair);
        }
        assertThat(refusal(pod, Map.of(), 400).getString("message"))
                .isEqualTo("a container name must be specified for pod " + pod + ", choose one of: [web sidecar]");
        assertThat(log(pod, Map.of("container", "sidecar"))).isEmpty();
    }
}
