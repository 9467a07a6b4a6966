package dev.berth.platform.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keys are made only of valid Kubernetes names. The rows are the cases of apimachinery's
 * {@code staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go} ({@code TestIsDNS1123Label},
 * {@code TestIsDNS1123Subdomain}, {@code TestIsDNS1035Label}), plus the path-like values a namespace must never be.
 */
class ObjectKeyTest {

    @ParameterizedTest(name = "{0}: namespace ''{1}'' valid={2}")
    @CsvSource(delimiter = '|', value = {
            "TestIsDNS1123Label good   | a                  | true",
            "TestIsDNS1123Label good   | a--1--2--b         | true",
            "TestIsDNS1123Label good   | 0                  | true",
            "TestIsDNS1123Label good   | 1--a--b--2         | true",
            "TestIsDNS1123Label bad    | A                  | false",
            "TestIsDNS1123Label bad    | aBc                | false",
            "TestIsDNS1123Label bad    | -                  | false",
            "TestIsDNS1123Label bad    | a-                 | false",
            "TestIsDNS1123Label bad    | -a                 | false",
            "TestIsDNS1123Label bad    | a_b                | false",
            "TestIsDNS1123Label bad    | a.b                | false",
            "TestIsDNS1123Label bad    | 'a b'              | false",
            "path: absolute directory  | /tmp/outside       | false",
            "path: parent              | ..                 | false",
            "path: traversal           | ../../etc          | false",
            "path: separator           | a/b                | false",
            "path: url-encoded         | %2Ftmp             | false",
    })
    void namespacesAreDns1123Labels(String upstreamCase, String namespace, boolean valid) {
        if (valid) {
            assertThat(new ObjectKey(ResourceKind.CONFIGMAP, namespace, "c").namespace()).isEqualTo(namespace);
        } else {
            assertThatThrownBy(() -> new ObjectKey(ResourceKind.CONFIGMAP, namespace, "c"))
                    .isInstanceOfSatisfying(InvalidObjectKeyException.class, e -> assertThat(e.field()).isEqualTo("metadata.namespace"));
        }
    }

    @ParameterizedTest(name = "{0}: {1} ''{2}'' valid={3}")
    @CsvSource(delimiter = '|', value = {
            "TestIsDNS1123Subdomain good | CONFIGMAP  | a.b.c.d.e          | true",
            "TestIsDNS1123Subdomain good | DEPLOYMENT | 11.22.33.44.55     | true",
            "TestIsDNS1123Subdomain good | POD        | 1--a--b--2         | true",
            "TestIsDNS1123Subdomain bad  | CONFIGMAP  | a..b               | false",
            "TestIsDNS1123Subdomain bad  | CONFIGMAP  | a.-b               | false",
            "TestIsDNS1123Subdomain bad  | CONFIGMAP  | A.a                | false",
            "TestIsDNS1123Subdomain bad  | DEPLOYMENT | a_b                | false",
            "TestIsDNS1123Subdomain bad  | DEPLOYMENT | ..                 | false",
            "TestIsDNS1123Subdomain bad  | SECRET     | ../x               | false",
            "TestIsDNS1035Label good     | SERVICE    | a-1                | true",
            "TestIsDNS1035Label bad      | SERVICE    | 1-a                | false",
            "TestIsDNS1035Label bad      | SERVICE    | a.b                | false",
            "TestIsDNS1123Label bad      | NAMESPACE  | a.b                | false",
            "TestIsDNS1123Label good     | NAMESPACE  | 1a                 | true",
    })
    void namesFollowTheirKindsFormat(String upstreamCase, ResourceKind kind, String name, boolean valid) {
        if (valid) {
            assertThat(new ObjectKey(kind, "default", name).name()).isEqualTo(name);
        } else {
            assertThatThrownBy(() -> new ObjectKey(kind, "default", name))
                    .isInstanceOfSatisfying(InvalidObjectKeyException.class, e -> assertThat(e.field()).isEqualTo("metadata.name"));
        }
    }

    @ParameterizedTest(name = "{0}: {1} characters for {2}")
    @CsvSource(delimiter = '|', value = {
            "TestIsDNS1123Subdomain max length | 253 | CONFIGMAP | true",
            "TestIsDNS1123Subdomain too long   | 254 | CONFIGMAP | false",
            "TestIsDNS1035Label max length     | 63  | SERVICE   | true",
            "TestIsDNS1035Label too long       | 64  | SERVICE   | false",
            "TestIsDNS1123Label max length     | 63  | NAMESPACE | true",
            "TestIsDNS1123Label too long       | 64  | NAMESPACE | false",
    })
    void lengthsAreKubernetesLimits(String upstreamCase, int length, ResourceKind kind, boolean valid) {
        String name = "a".repeat(length);
        if (valid) {
            assertThat(new ObjectKey(kind, null, name).name()).hasSize(length);
        } else {
            assertThatThrownBy(() -> new ObjectKey(kind, null, name))
                    .isInstanceOfSatisfying(InvalidObjectKeyException.class,
                            e -> assertThat(e.problem()).isEqualTo("must be no more than " + (length - 1) + " characters"));
        }
    }
}
