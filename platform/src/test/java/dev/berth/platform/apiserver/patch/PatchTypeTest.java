package dev.berth.platform.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchTypeTest {

    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(nullValues = "-", value = {
            "application/json-patch+json,                        JSON",
            "application/merge-patch+json,                       MERGE",
            "application/strategic-merge-patch+json,             STRATEGIC_MERGE",
            "'application/strategic-merge-patch+json; charset=utf-8', STRATEGIC_MERGE",
            "' Application/Merge-Patch+JSON ',                   MERGE",
            "application/apply-patch+yaml,                       -",
            "application/json,                                   -",
            "-,                                                  -",
    })
    void readsTheContentType(String contentType, PatchType expected) {
        assertThat(PatchType.of(contentType)).isEqualTo(Optional.ofNullable(expected));
    }
}
