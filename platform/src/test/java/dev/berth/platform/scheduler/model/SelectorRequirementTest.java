package dev.berth.platform.scheduler.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SelectorRequirementTest {

    /** {@code actual} "-" means the label is absent. */
    @ParameterizedTest(name = "{0} {1} [{2}] on {3} → {4}")
    @CsvSource(delimiter = '|', textBlock = """
            IN             | a,b | a   | true
            IN             | a,b | c   | false
            IN             | a   | -   | false
            NOT_IN         | a,b | c   | true
            NOT_IN         | a,b | a   | false
            NOT_IN         | a   | -   | true
            EXISTS         |     | x   | true
            EXISTS         |     | -   | false
            DOES_NOT_EXIST |     | -   | true
            DOES_NOT_EXIST |     | x   | false
            GT             | 5   | 6   | true
            GT             | 5   | 5   | false
            GT             | 5   | abc | false
            GT             | 5   | -   | false
            LT             | 5   | -3  | true
            LT             | 5   | 5   | false
            """)
    void matchesValue(SelectorOperator operator, String values, String actual, boolean expected) {
        List<String> valueList = values == null ? List.of() : List.of(values.split(","));
        SelectorRequirement requirement = new SelectorRequirement("key", operator, valueList);
        assertThat(requirement.matchesValue("-".equals(actual) ? null : actual)).isEqualTo(expected);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments(SelectorOperator.IN, List.of()),
                arguments(SelectorOperator.NOT_IN, List.of()),
                arguments(SelectorOperator.EXISTS, List.of("x")),
                arguments(SelectorOperator.GT, List.of("1", "2")),
                arguments(SelectorOperator.LT, List.of("one")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("malformed")
    void rejectsMalformedRequirements(SelectorOperator operator, List<String> values) {
        assertThatIllegalArgumentException().isThrownBy(() -> new SelectorRequirement("key", operator, values));
    }

    static Stream<Arguments> selectors() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front");
        return Stream.of(
                arguments("empty selector matches everything", new LabelSelector(Map.of(), List.of()), labels, true),
                arguments("matchLabels subset", LabelSelector.matchLabels(Map.of("app", "web")), labels, true),
                arguments("matchLabels other value", LabelSelector.matchLabels(Map.of("app", "api")), labels, false),
                arguments("matchLabels and expressions ANDed", new LabelSelector(Map.of("app", "web"),
                        List.of(SelectorRequirement.notIn("tier", "front"))), labels, false),
                arguments("expression on absent label", new LabelSelector(Map.of(),
                        List.of(SelectorRequirement.doesNotExist("version"))), labels, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void labelSelectorMatches(String description, LabelSelector selector, Map<String, String> labels, boolean expected) {
        assertThat(selector.matches(labels)).isEqualTo(expected);
    }
}
