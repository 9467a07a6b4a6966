package dev.berth.platform.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaRangeTest {

    @Test
    void kubectlsDiscoveryAcceptParsesInItsOrderWithParameters() {
        List<MediaRange> ranges = MediaRange.parse("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");

        assertThat(ranges).extracting(MediaRange::params).containsExactly(
                Map.of("g", "apidiscovery.k8s.io", "v", "v2", "as", "APIGroupDiscoveryList"),
                Map.of("g", "apidiscovery.k8s.io", "v", "v2beta1", "as", "APIGroupDiscoveryList"),
                Map.of());
    }

    @Test
    void qualityOrdersClausesAndTiesKeepTheClientsOrder() {
        assertThat(MediaRange.parse("text/plain;q=0.5, application/yaml, application/json;q=0.9, */*;q=0.5"))
                .extracting(r -> r.type() + "/" + r.subtype())
                .containsExactly("application/yaml", "application/json", "text/plain", "*/*");
    }

    @Test
    void missingHeaderAcceptsAnythingAndMalformedClausesAreDropped() {
        assertThat(MediaRange.parse(null)).singleElement().satisfies(r -> assertThat(r.admits("application", "json")).isTrue());
        assertThat(MediaRange.parse("  ")).singleElement().satisfies(r -> assertThat(r.admits("text", "plain")).isTrue());
        assertThat(MediaRange.parse("json, /x, application/")).isEmpty();
    }

    @Test
    void wildcardsAdmitAtTheirLevelOnly() {
        MediaRange anyApplication = MediaRange.parse("Application/*").get(0);

        assertThat(anyApplication.admits("application", "json")).isTrue();
        assertThat(anyApplication.admits("text", "plain")).isFalse();
        assertThat(MediaRange.parse("application/json").get(0).admits("application", "yaml")).isFalse();
    }
}
