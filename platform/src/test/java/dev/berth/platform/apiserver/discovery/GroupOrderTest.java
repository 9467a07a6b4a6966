package dev.berth.platform.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupOrderTest {

    /** Rows of upstream's TestCompareKubeAwareVersionStrings (apimachinery/pkg/version/helpers_test.go). */
    @ParameterizedTest(name = "{0} before {1}: {2}")
    @CsvSource({
            "v1, v2, false",
            "v2, v1, true",
            "v10, v2, true",
            "v1, v2alpha1, true",
            "v1, v2beta1, true",
            "v1alpha2, v1alpha1, true",
            "v1beta1, v2alpha3, true",
            "v1alpha10, v1alpha2, true",
            "v1beta10, v1beta2, true",
            "foo, v1beta2, false",
            "bar, foo, true",
            "version1, version2, true",
            "version1, version10, true",
    })
    void versionsSortPreferredFirst(String a, String b, boolean aFirst) {
        assertThat(GroupOrder.VERSIONS.compare(a, b) < 0).isEqualTo(aFirst);
    }

    @Test
    void groupsSortByUpstreamPriorityThenName() {
        List<String> sorted = Stream.of("berth.dev", "rbac.authorization.k8s.io", "coordination.k8s.io", "apps", "",
                        "autoscaling", "authorization.k8s.io", "events.k8s.io", "acme.example.com", "policy")
                .sorted(GroupOrder.GROUPS).toList();

        assertThat(sorted).containsExactly("", "apps", "events.k8s.io", "authorization.k8s.io", "autoscaling", "policy",
                "rbac.authorization.k8s.io", "coordination.k8s.io", "acme.example.com", "berth.dev");
    }
}
