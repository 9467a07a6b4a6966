package dev.berth.platform.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6902 JSON patch as kube-apiserver applies it: what applies, and each way a patch fails. */
class JsonPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"args\":[\"a\",\"b\"]}}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "add a label         | [{\"op\":\"add\",\"path\":\"/metadata/labels/tier\",\"value\":\"front\"}] | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\",\"tier\":\"front\"}},\"spec\":{\"replicas\":2,\"args\":[\"a\",\"b\"]}}",
            "replace replicas    | [{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]           | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":5,\"args\":[\"a\",\"b\"]}}",
            "remove a label      | [{\"op\":\"remove\",\"path\":\"/metadata/labels/app\"}]                   | {\"metadata\":{\"name\":\"web\",\"labels\":{}},\"spec\":{\"replicas\":2,\"args\":[\"a\",\"b\"]}}",
            "append to a list    | [{\"op\":\"add\",\"path\":\"/spec/args/-\",\"value\":\"c\"}]                 | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"args\":[\"a\",\"b\",\"c\"]}}",
            "insert into a list  | [{\"op\":\"add\",\"path\":\"/spec/args/0\",\"value\":\"z\"}]                 | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"args\":[\"z\",\"a\",\"b\"]}}",
            "test then replace   | [{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":2},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}] | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":3,\"args\":[\"a\",\"b\"]}}",
            "move and copy       | [{\"op\":\"copy\",\"from\":\"/metadata/labels\",\"path\":\"/spec/selector\"},{\"op\":\"move\",\"from\":\"/spec/args\",\"path\":\"/spec/command\"}] | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"selector\":{\"app\":\"web\"},\"command\":[\"a\",\"b\"]}}",
            "no operations       | []                                                                         | {\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"args\":[\"a\",\"b\"]}}",
    })
    void applies(String name, String patch, String expected) throws IOException {
        JsonNode document = JSON.readTree(DOCUMENT);

        assertThat(JsonPatch.apply(document, JSON.readTree(patch))).isEqualTo(JSON.readTree(expected));
        assertThat(document).as("the document is not modified").isEqualTo(JSON.readTree(DOCUMENT));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource(delimiter = '|', value = {
            "unknown op                 | [{\"op\":\"bogus\",\"path\":\"/spec/replicas\"}]                     | INVALID     | unknown / unsupported operation bogus",
            "replace a missing path     | [{\"op\":\"replace\",\"path\":\"/spec/paused\",\"value\":true}]      | INVALID     | paused",
            "add under a missing parent | [{\"op\":\"add\",\"path\":\"/spec/strategy/type\",\"value\":\"x\"}]  | INVALID     | strategy",
            "remove a missing member    | [{\"op\":\"remove\",\"path\":\"/metadata/annotations\"}]             | INVALID     | annotations",
            "index out of bounds        | [{\"op\":\"add\",\"path\":\"/spec/args/7\",\"value\":\"c\"}]         | INVALID     | out of bounds",
            "failed test                | [{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":3}]          | INVALID     | Expected value 3",
            "operation without op       | [{\"path\":\"/spec/replicas\",\"value\":3}]                          | INVALID     | missing 'op'",
            "add without a value        | [{\"op\":\"add\",\"path\":\"/spec/paused\"}]                         | INVALID     | missing 'value'",
            "path without a slash       | [{\"op\":\"add\",\"path\":\"spec\",\"value\":1}]                     | INVALID     | slash",
            "move from a missing path   | [{\"op\":\"move\",\"from\":\"/spec/nope\",\"path\":\"/spec/x\"}]     | INVALID     | nope",
            "an object, not a list      | {\"op\":\"add\",\"path\":\"/spec/paused\",\"value\":true}            | BAD_REQUEST | must be a list of operations",
            "an operation not an object | [\"add\"]                                                            | BAD_REQUEST | operation 0 is not an object",
    })
    void refuses(String name, String patch, PatchException.Reason reason, String message) throws IOException {
        JsonNode document = JSON.readTree(DOCUMENT);

        assertThatThrownBy(() -> JsonPatch.apply(document, JSON.readTree(patch)))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
        assertThat(document).as("the document is not modified").isEqualTo(JSON.readTree(DOCUMENT));
    }

    @Test
    void testComparesNumbersByValueWhateverNodeTypeTheStoredObjectHas() throws IOException {
        var document = JSON.createObjectNode();
        document.putObject("metadata").put("generation", 2L); // a stored object's long, as the typed object converts to
        document.putObject("spec").put("replicas", 2);

        JsonNode patched = JsonPatch.apply(document, JSON.readTree(
                "[{\"op\":\"test\",\"path\":\"/metadata/generation\",\"value\":2},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]"));
        assertThat(patched.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThatThrownBy(() -> JsonPatch.apply(document, JSON.readTree("[{\"op\":\"test\",\"path\":\"/metadata/generation\",\"value\":3}]")))
                .isInstanceOf(PatchException.class).hasMessageContaining("Expected value 3");
    }

    @Test
    void refusesMoreOperationsThanKubeApiserverAccepts() throws IOException {
        ArrayNode patch = JSON.createArrayNode();
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            patch.addObject().put("op", "test").put("path", "/spec/replicas").put("value", 2);
        }

        assertThatThrownBy(() -> JsonPatch.apply(JSON.readTree(DOCUMENT), patch))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.reason()).isEqualTo(PatchException.Reason.REQUEST_ENTITY_TOO_LARGE))
                .hasMessage("The allowed maximum operations in a JSON patch is 10000, got 10001");
        patch.remove(0);
        assertThat(JsonPatch.apply(JSON.readTree(DOCUMENT), patch)).as("10000 operations apply").isEqualTo(JSON.readTree(DOCUMENT));
    }
}
