package dev.berth.platform.api.manifest;

import static dev.berth.platform.api.manifest.ManifestCheckTest.DEPLOYMENT;
import static dev.berth.platform.api.manifest.ManifestCheckTest.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quantities in Kubernetes' grammar and range. The first rows are cases of apimachinery's
 * {@code pkg/api/resource/quantity_test.go} ({@code TestQuantityParse}); the range rows are what Kubernetes would
 * round or cap (to 1n, to 2^63-1), which Berth refuses.
 */
class QuantityFormatTest {

    @ParameterizedTest(name = "{0}: ''{1}'' valid={2}")
    @CsvSource(delimiter = '|', value = {
            "TestQuantityParse                 | 0                    | true",
            "TestQuantityParse                 | 1n                   | true",
            "TestQuantityParse                 | 1u                   | true",
            "TestQuantityParse                 | 250m                 | true",
            "TestQuantityParse                 | 1.5                  | true",
            "TestQuantityParse                 | 1Ki                  | true",
            "TestQuantityParse                 | 1.5Gi                | true",
            "TestQuantityParse                 | 12e6                 | true",
            "TestQuantityParse                 | 1E-3                 | true",
            "TestQuantityParse                 | .001                 | true",
            "TestQuantityParse                 | 1.                   | true",
            "TestQuantityParse invalid         | 1.1.M                | false",
            "TestQuantityParse invalid         | 1+1.0M               | false",
            "TestQuantityParse invalid         | 0.1mi                | false",
            "TestQuantityParse invalid         | 0.1am                | false",
            "TestQuantityParse invalid         | aoeu                 | false",
            "TestQuantityParse invalid         | .5i                  | false",
            "TestQuantityParse invalid         | 1i                   | false",
            "TestQuantityParse invalid         | -3.01e-              | false",
            "range: below 1n (Kubernetes rounds up) | 0.5n            | false",
            "range: absurd negative exponent   | 1e-32000000          | false",
            "range: absurd positive exponent   | 1e32000000           | false",
            "range: 2^63-1 is the largest      | 9223372036854775807  | true",
            "range: 2^63 (Kubernetes caps)     | 9223372036854775808  | false",
            "range: 7Ei fits                   | 7Ei                  | true",
            "range: 8Ei is 2^63                | 8Ei                  | false",
    })
    void quantitiesAreKubernetesQuantitiesInRange(String upstreamCase, String text, boolean valid) {
        assertThat(QuantityFormat.problem(Quantity.parse(text)).isEmpty()).as(text).isEqualTo(valid);
    }

    @Test
    void anAbsurdExponentIsRefusedNamingTheFieldPath() {
        String yaml = DEPLOYMENT.replace("cpu: 250m", "cpu: \"1e-32000000\"");
        assertThatThrownBy(() -> check(yaml)).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.type().status().getStatusCode()).isEqualTo(400);
            assertThat(e.errors()).extracting(Problem.FieldError::field)
                    .containsExactly("document[0].spec.template.spec.containers[0].resources.requests.cpu");
        });
    }

    @Test
    void quantitiesOutsideResourcesAreCheckedToo() {
        String yaml = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                  metrics:
                    - type: Resource
                      resource:
                        name: memory
                        target: {type: AverageValue, averageValue: "1e99999999"}
                """;
        assertThatThrownBy(() -> check(yaml)).isInstanceOfSatisfying(ManifestException.class, e ->
                assertThat(e.errors()).extracting(Problem.FieldError::field)
                        .containsExactly("document[0].spec.metrics[0].resource.target.averageValue"));
    }
}
