package dev.berth.platform.apiserver.printing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * apimachinery's quantity_test.go: TestQuantityString's table (a canonical string prints itself, its alternate
 * spelling prints the canonical one, and so do their negatives) and TestQuantityParseEmit's.
 */
class CanonicalQuantityTest {

    @ParameterizedTest(name = "TestQuantityString: {0} (alternate ''{1}'')")
    @CsvSource({
            "1Gi, 1024Mi", "300Mi, 307200Ki", "6Ki, ''", "1001Gi, 1025024Mi", "1Ti, 1024Gi", "5, 5000m", "500m, 0.5", "1G, 1000M",
            "1G, 0.001T", "1G, ''", "1m, 1000u", "80m, ''", "1080m, 1.08", "1080m, 1080000000n", "300M, ''", "1T, ''",
            "1234567M, ''", "1234567m, ''", "3k, ''", "1025, ''", "0, ''", "1e9, .001e12", "1e-3, 0.001e0", "1e-9, 1000e-12",
            "80e-3, ''", "300e6, ''", "1e12, ''", "1e3, ''", "3e3, ''", "0, 00", "1n, ''", "80n, ''", "1080n, ''", "1u, ''",
            "80u, ''", "1080u, ''",
    })
    void quantityString(String canonical, String alternate) {
        assertThat(CanonicalQuantity.string(new Quantity(canonical))).isEqualTo(canonical);
        if (!alternate.isEmpty()) {
            assertThat(CanonicalQuantity.string(new Quantity(alternate))).as("alternate %s", alternate).isEqualTo(canonical);
        }
        if (!canonical.equals("0")) {
            assertThat(CanonicalQuantity.string(new Quantity("-" + canonical))).isEqualTo("-" + canonical);
        }
    }

    @ParameterizedTest(name = "TestQuantityParseEmit: {0} prints {1}")
    @CsvSource({
            "1Ki, 1Ki", "1Mi, 1Mi", "1Gi, 1Gi", "1024Mi, 1Gi", "1000M, 1G", ".001Ki, 1024m", ".000001Ki, 1024u", ".000000001Ki, 1024n",
            ".000000000001Ki, 2n", "3Ei, 3Ei",
    })
    void quantityParseEmit(String in, String expected) {
        assertThat(CanonicalQuantity.string(new Quantity(in))).isEqualTo(expected);
        assertThat(CanonicalQuantity.string(new Quantity("-" + in))).isEqualTo("-" + expected);
    }

    @Test
    void aMissingQuantityPrintsGosNil() {
        assertThat(CanonicalQuantity.string(null)).isEqualTo("<nil>");
    }
}
