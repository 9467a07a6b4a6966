package dev.berth.platform.scheduler.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TolerationTest {

    private static final Taint INFRA = Taint.of("dedicated", "infra", TaintEffect.NO_SCHEDULE);

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("Equal, same key, value and effect", Toleration.equal("dedicated", "infra", TaintEffect.NO_SCHEDULE), true),
                arguments("Equal, other value", Toleration.equal("dedicated", "db", TaintEffect.NO_SCHEDULE), false),
                arguments("Equal, any effect", Toleration.equal("dedicated", "infra", null), true),
                arguments("Equal, other effect", Toleration.equal("dedicated", "infra", TaintEffect.NO_EXECUTE), false),
                arguments("Exists on the key", Toleration.exists("dedicated", TaintEffect.NO_SCHEDULE), true),
                arguments("Exists on another key", Toleration.exists("gpu", null), false),
                arguments("empty key with Exists: everything", Toleration.everything(), true),
                arguments("empty key with Exists, one effect", Toleration.exists("", TaintEffect.NO_SCHEDULE), true),
                arguments("empty key with Exists, another effect", Toleration.exists("", TaintEffect.PREFER_NO_SCHEDULE), false),
                arguments("operator defaults to Equal", new Toleration("dedicated", null, "infra", null), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tolerates(String description, Toleration toleration, boolean expected) {
        assertThat(toleration.tolerates(INFRA)).isEqualTo(expected);
    }
}
