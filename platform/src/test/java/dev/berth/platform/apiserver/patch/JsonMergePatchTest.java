package dev.berth.platform.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7386 merge patch against the RFC's own examples (Appendix A), in its order. */
class JsonMergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "RFC 7386 A.{index}: {0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}                     | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}                     | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}                      | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                      | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}                     | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}                   | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}}  | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                       | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]                     | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                           | [\"c\"]",
            "{\"a\":\"foo\"}              | null                              | null",
            "{\"a\":\"foo\"}              | \"bar\"                           | \"bar\"",
            "{\"e\":null}                 | {\"a\":1}                         | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}          | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}}   | {\"a\":{\"bb\":{}}}",
    })
    void mergesAsTheRfcExamples(String target, String patch, String expected) throws IOException {
        JsonNode original = JSON.readTree(target);
        JsonNode patchNode = JSON.readTree(patch);

        JsonNode result = JsonMergePatch.apply(original, patchNode);

        assertThat(result).isEqualTo(JSON.readTree(expected));
        assertThat(original).as("the target is not modified").isEqualTo(JSON.readTree(target));
        assertThat(patchNode).as("the patch is not modified").isEqualTo(JSON.readTree(patch));
    }
}
