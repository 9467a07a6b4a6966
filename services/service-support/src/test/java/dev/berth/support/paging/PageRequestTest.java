package dev.berth.support.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.support.problem.Problem;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageRequestTest {

    @ParameterizedTest(name = "page={0} size={1} → page {2}, size {3}")
    @CsvSource(nullValues = "-", value = {
        "-,          -,    0,          20",
        "3,          5,    3,          5",
        "0,          5000, 0,          100",
        // the last page whose first row still fits the int offset: 107374182 × 20 = 2147483640
        "107374182,  -,    107374182,  20",
        "2147483647, 1,    2147483647, 1",
    })
    void acceptsPagesWhoseOffsetFits(String page, String size, int expectedPage, int expectedSize) {
        assertThat(PageRequest.of(page, size)).isEqualTo(new PageRequest(expectedPage, expectedSize));
    }

    @ParameterizedTest(name = "page={0} size={1} → 400 on {2}")
    @CsvSource(nullValues = "-", value = {
        "2147483647,  -,    page,  must be at most 107374182 with size 20",
        "107374183,   -,    page,  must be at most 107374182 with size 20",
        "21474837,    5000, page,  must be at most 21474836 with size 100",
        "-1,          -,    page,  must be 0 or greater",
        "99999999999, -,    page,  must be a whole number",
        "0,           0,    size,  must be 1 or greater",
        "0,           many, size,  must be a whole number",
    })
    void refusesPagesNamingTheField(String page, String size, String field, String message) {
        assertThatThrownBy(() -> PageRequest.of(page, size)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.VALIDATION);
            assertThat(e.errors()).containsExactly(new Problem.FieldError(field, message));
        });
    }
}
