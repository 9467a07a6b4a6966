package dev.berth.platform.apiserver;

import static dev.berth.platform.api.manifest.ManifestCheckTest.DEPLOYMENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.apiserver.ApiOverStore.Answer;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probes as Kubernetes validates them ({@code pkg/apis/core/validation/validation.go}: {@code validateHTTPGetAction},
 * whose cases {@code validation_test.go} names), and the host-port annotation a pod template may carry, on the
 * Kubernetes API's create: a bad one is 422 Invalid naming the field and stores nothing; a good one is accepted (as a
 * dry run, which validates as a write does).
 */
class PodTemplateRulesTest {

    private static final String PROBE = "httpGet: {path: /q/health/ready, port: http}";
    private static final String READINESS = "spec.template.spec.containers[0].readinessProbe.httpGet.";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

    @TempDir
    static Path state;
    static ApiOverStore core;

    @BeforeAll
    static void start() {
        core = new ApiOverStore(state);
    }

    @AfterAll
    static void stop() throws Exception {
        core.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "TestValidateHTTPGetAction invalid scheme | httpGet: {path: /q/health/ready, port: http, scheme: FTP}                          | scheme",
            "TestValidateHTTPGetAction header name    | 'httpGet: {path: /q/health/ready, port: http, httpHeaders: [{name: \"X Bad\", value: v}]}' | httpHeaders[0].name",
            "Berth: a path the prober sends as is     | 'httpGet: {path: \"/q/health ready\", port: http}'                                 | path",
            "Berth: a relative path                   | 'httpGet: {path: q/health, port: http}'                                             | path",
    })
    void badProbesAreRefusedNamingTheField(String row, String probe, String field) {
        assertThat(refused(DEPLOYMENT.replace(PROBE, probe))).containsExactly(READINESS + field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "HTTPS with a header            | 'httpGet: {path: /q/health/ready, port: http, scheme: HTTPS, httpHeaders: [{name: X-Probe, value: \"1\"}]}'",
            "a query and an escape          | 'httpGet: {path: \"/q/health%2Fready?full=true\", port: http}'",
    })
    void goodProbesPass(String row, String probe) {
        assertAccepted(DEPLOYMENT.replace(PROBE, probe));
    }

    @ParameterizedTest(name = "host-ports ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "x",
            "8080=7070",
            "8080=41234,9000",
    })
    void aTemplatesHostPortAnnotationIsCheckedOnCreate(String value) {
        assertThat(refused(withHostPorts(value))).containsOnly("spec.template.metadata.annotations.berth.dev/host-ports");
    }

    @Test
    void aHostPortInTheEphemeralRangeMayBePinned() {
        assertAccepted(withHostPorts("8080=41234"));
    }

    /** What the apply fuzzer found as 500s (ApplyFuzzTest, ApplyBenchmark): each a refusal naming the field. */
    static Stream<Arguments> fuzzerFindings() {
        return Stream.of(
                Arguments.of("a Deployment without metadata", DEPLOYMENT.replace("metadata:\n  name: web\n  labels: {app: web}\n", ""),
                        "metadata.name"),
                Arguments.of("a null container", DEPLOYMENT.replace("      containers:\n", "      containers:\n        - null\n"),
                        "spec.template.spec.containers[0]"),
                Arguments.of("a null quantity", DEPLOYMENT.replace("memory: 256Mi", "memory: null"),
                        "spec.template.spec.containers[0].resources.requests.memory"),
                Arguments.of("a selector expression without operator",
                        DEPLOYMENT.replace("matchLabels: {app: web}", "matchExpressions: [{key: app, values: [web]}]"),
                        "spec.selector.matchExpressions[0].operator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fuzzerFindings")
    void whatTheFuzzerFoundIsRefusedNamingTheField(String row, String yaml, String field) {
        assertThat(refused(yaml)).contains(field);
    }

    private static String withHostPorts(String value) {
        return DEPLOYMENT.replace("    metadata:\n      labels: {app: web}\n",
                "    metadata:\n      labels: {app: web}\n      annotations: {berth.dev/host-ports: \"" + value + "\"}\n");
    }

    /** The fields a create of {@code yaml} is refused for (422 Invalid), having stored nothing. */
    private static java.util.List<String> refused(String yaml) {
        Map<String, String> before = ApiOverStore.files(core.storeDir);
        Answer answer = core.send("POST", DEPLOYMENTS, CoreApiTokens.DEPLOYER, "application/yaml", yaml);
        assertThat(answer.code()).as(answer.body()).isEqualTo(422);
        assertThat(answer.status().getReason()).isEqualTo("Invalid");
        assertThat(ApiOverStore.files(core.storeDir)).isEqualTo(before);
        return answer.causes();
    }

    private static void assertAccepted(String yaml) {
        Answer answer = core.send("POST", DEPLOYMENTS + "?dryRun=All", CoreApiTokens.DEPLOYER, "application/yaml", yaml);
        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
    }
}
