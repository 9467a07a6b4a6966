package dev.berth.platform.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host-port annotation: a stored bad value is skipped, never thrown; a manifest's is checked at apply. */
class HostPortsTest {

    @ParameterizedTest(name = "stored ''{0}'' reads as {1}")
    @CsvSource(delimiter = '|', value = {
            "8080=41234,9000=41235  | {8080=41234, 9000=41235}",
            "x                      | {}",
            "8080=                  | {}",
            "=41234                 | {}",
            "8080=41234=1           | {}",
            "99999=41234            | {}",
            "8080=0                 | {}",
            "8080=99999999999999999 | {}",
            "x,8080=41234           | {8080=41234}",
            "' 8080 = 41234 , '     | {8080=41234}",
            "','                    | {}",
    })
    void storedValuesNeverThrow(String value, String expected) {
        assertThat(HostPorts.of(pod(value))).hasToString(expected);
    }

    @ParameterizedTest(name = "manifest ''{0}'' valid={1}")
    @CsvSource(delimiter = '|', value = {
            "8080=41234          | true",
            "8080=32768,9000=60999 | true",
            "x                   | false",
            "8080=7070           | false",
            "8080=5432           | false",
            "8080=32767          | false",
            "8080=61000          | false",
            "0=41234             | false",
            "8080=41234,         | false",
            "''                  | false",
    })
    void manifestValuesArePairsInThePinnableRange(String value, boolean valid) {
        assertThat(HostPorts.problems(value).isEmpty()).isEqualTo(valid);
    }

    private static Pod pod(String annotation) {
        return new PodBuilder().withNewMetadata().withName("p").withAnnotations(Map.of(HostPorts.ANNOTATION, annotation)).endMetadata().build();
    }
}
