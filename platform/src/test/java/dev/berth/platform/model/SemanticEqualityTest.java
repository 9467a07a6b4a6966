package dev.berth.platform.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pod templates that Go decodes into equal structs are equal; a difference Go keeps is kept. */
class SemanticEqualityTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode canonical(String template) throws Exception {
        return SemanticEquality.canonical(MAPPER.readTree(template), PodTemplateSpec.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nil and empty maps are equal            | {"metadata":{"labels":{}}}                                        | {"metadata":{}}                                                      | true
            nil and empty slices are equal          | {"spec":{"volumes":[]}}                                           | {"spec":{}}                                                          | true
            null is absent                          | {"spec":{"nodeName":null}}                                        | {}                                                                   | true
            an empty struct is absent               | {"spec":{"containers":[{"name":"a","resources":{}}]}}             | {"spec":{"containers":[{"name":"a"}]}}                               | true
            a value bool's false is absent          | {"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"v","readOnly":false}]}]}} | {"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"v"}]}]}} | true
            a value int's 0 is absent               | {"spec":{"containers":[{"name":"a","readinessProbe":{"initialDelaySeconds":0,"periodSeconds":5}}]}} | {"spec":{"containers":[{"name":"a","readinessProbe":{"periodSeconds":5}}]}} | true
            a value string's empty is absent        | {"spec":{"containers":[{"name":"a","workingDir":""}]}}            | {"spec":{"containers":[{"name":"a"}]}}                               | true
            a pod's hostNetwork false is absent     | {"spec":{"hostNetwork":false}}                                    | {}                                                                   | true
            a pointer bool's false is a value       | {"spec":{"containers":[{"name":"a","securityContext":{"allowPrivilegeEscalation":false}}]}} | {"spec":{"containers":[{"name":"a"}]}} | false
            a pointer int's 0 is a value            | {"spec":{"terminationGracePeriodSeconds":0}}                      | {}                                                                   | false
            a pointer string's empty is a value     | {"spec":{"volumes":[{"name":"v","ephemeral":{"volumeClaimTemplate":{"spec":{"storageClassName":""}}}}]}} | {"spec":{"volumes":[{"name":"v","ephemeral":{"volumeClaimTemplate":{"spec":{}}}}]}} | false
            a value's true is a value               | {"spec":{"hostNetwork":true}}                                     | {}                                                                   | false
            a field unknown to the model keeps zero | {"spec":{"futureField":false}}                                    | {}                                                                   | false
            map keys in any order                   | {"metadata":{"labels":{"a":"1","b":"2"}}}                         | {"metadata":{"labels":{"b":"2","a":"1"}}}                            | true
            a map's empty value is a value          | {"metadata":{"labels":{"a":""}}}                                  | {}                                                                   | false
            list order is kept                      | {"spec":{"containers":[{"name":"a","args":["x","y"]}]}}           | {"spec":{"containers":[{"name":"a","args":["y","x"]}]}}              | false
            an empty list element is an element     | {"spec":{"containers":[{}]}}                                      | {}                                                                   | false
            binary and decimal quantities of one amount | {"spec":{"containers":[{"name":"a","resources":{"limits":{"memory":"1Gi"}}}]}} | {"spec":{"containers":[{"name":"a","resources":{"limits":{"memory":"1024Mi"}}}]}} | true
            milli and whole of one amount           | {"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"1000m"}}}]}} | {"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"1"}}}]}} | true
            exponent and suffix of one amount       | {"spec":{"overhead":{"cpu":"1e3"}}}                               | {"spec":{"overhead":{"cpu":"1k"}}}                                   | true
            1Gi is not 1G                           | {"spec":{"overhead":{"memory":"1Gi"}}}                            | {"spec":{"overhead":{"memory":"1G"}}}                                | false
            a quantity only where the model has one | {"metadata":{"annotations":{"size":"1Gi"}}}                      | {"metadata":{"annotations":{"size":"1024Mi"}}}                       | false
            """)
    void equalAsGoDecodesThem(String rule, String a, String b, boolean equal) throws Exception {
        assertThat(Objects.equals(canonical(a), canonical(b))).isEqualTo(equal);
        assertThat(Objects.equals(canonical(b), canonical(a))).as("either way").isEqualTo(equal);
    }

    @Test
    void allAbsentIsNull() throws Exception {
        assertThat(canonical("{\"metadata\":{\"labels\":{}},\"spec\":{\"hostPID\":false,\"containers\":[]}}")).isNull();
    }

    @Test
    void anAbsurdExponentMovesThePointWithoutExpandingTheNumber() {
        assertThat(SemanticEquality.amount("1e999999999")).isEqualTo(SemanticEquality.amount("10e999999998")).isEqualTo("1E+999999999");
        assertThat(SemanticEquality.amount("lots")).as("no quantity: as it is").isEqualTo("lots");
    }
}
