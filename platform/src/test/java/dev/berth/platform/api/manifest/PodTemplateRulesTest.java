package dev.berth.platform.api.manifest;

import static dev.berth.platform.api.manifest.ManifestCheckTest.DEPLOYMENT;
import static dev.berth.platform.api.manifest.ManifestCheckTest.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.support.problem.Problem;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probes as Kubernetes validates them ({@code pkg/apis/core/validation/validation.go}: {@code validateHTTPGetAction},
 * whose cases {@code validation_test.go} names), and the host-port annotation a pod template may carry.
 */
class PodTemplateRulesTest {

    private static final String PROBE = "httpGet: {path: /q/health/ready, port: http}";
    private static final String READINESS = "document[0].spec.template.spec.containers[0].readinessProbe.httpGet.";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "TestValidateHTTPGetAction invalid scheme | httpGet: {path: /q/health/ready, port: http, scheme: FTP}                          | scheme",
            "TestValidateHTTPGetAction header name    | 'httpGet: {path: /q/health/ready, port: http, httpHeaders: [{name: \"X Bad\", value: v}]}' | httpHeaders[0].name",
            "Berth: a path the prober sends as is     | 'httpGet: {path: \"/q/health ready\", port: http}'                                 | path",
            "Berth: a relative path                   | 'httpGet: {path: q/health, port: http}'                                             | path",
    })
    void badProbesAreRefusedNamingTheField(String row, String probe, String field) {
        String yaml = DEPLOYMENT.replace(PROBE, probe);
        assertThatThrownBy(() -> check(yaml)).isInstanceOfSatisfying(ManifestException.class, e ->
                assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly(READINESS + field));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "HTTPS with a header            | 'httpGet: {path: /q/health/ready, port: http, scheme: HTTPS, httpHeaders: [{name: X-Probe, value: \"1\"}]}'",
            "a query and an escape          | 'httpGet: {path: \"/q/health%2Fready?full=true\", port: http}'",
    })
    void goodProbesPass(String row, String probe) {
        assertThat(check(DEPLOYMENT.replace(PROBE, probe))).hasSize(1);
    }

    @ParameterizedTest(name = "host-ports ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "x",
            "8080=7070",
            "8080=41234,9000",
    })
    void aTemplatesHostPortAnnotationIsCheckedAtApply(String value) {
        String yaml = DEPLOYMENT.replace("    metadata:\n      labels: {app: web}\n",
                "    metadata:\n      labels: {app: web}\n      annotations: {berth.dev/host-ports: \"" + value + "\"}\n");
        assertThatThrownBy(() -> check(yaml)).isInstanceOfSatisfying(ManifestException.class, e ->
                assertThat(e.errors()).extracting(Problem.FieldError::field)
                        .containsOnly("document[0].spec.template.metadata.annotations.berth.dev/host-ports"));
    }

    @Test
    void aHostPortInTheEphemeralRangeMayBePinned() {
        String yaml = DEPLOYMENT.replace("    metadata:\n      labels: {app: web}\n",
                "    metadata:\n      labels: {app: web}\n      annotations: {berth.dev/host-ports: \"8080=41234\"}\n");
        assertThat(check(yaml)).hasSize(1);
    }

    /** The 500s the apply fuzzer found (ApplyFuzzTest, ApplyBenchmark): each now a 400 naming the field. */
    static Stream<Arguments> fuzzerFindings() {
        return Stream.of(
                Arguments.of("a Deployment without metadata", DEPLOYMENT.replace("metadata:\n  name: web\n  labels: {app: web}\n", ""),
                        "document[0].metadata.name"),
                Arguments.of("a null container", DEPLOYMENT.replace("      containers:\n", "      containers:\n        - null\n"),
                        "document[0].spec.template.spec.containers[0]"),
                Arguments.of("a null quantity", DEPLOYMENT.replace("memory: 256Mi", "memory: null"),
                        "document[0].spec.template.spec.containers[0].resources.requests.memory"),
                Arguments.of("a selector expression without operator",
                        DEPLOYMENT.replace("matchLabels: {app: web}", "matchExpressions: [{key: app, values: [web]}]"),
                        "document[0].spec.selector.matchExpressions[0].operator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fuzzerFindings")
    void whatTheFuzzerFoundIsA400(String row, String yaml, String field) {
        assertThatThrownBy(() -> check(yaml)).isInstanceOfSatisfying(ManifestException.class, e ->
                assertThat(e.errors()).extracting(Problem.FieldError::field).contains(field));
    }
}
