package dev.berth.platform.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The FieldsV1 encoding against structured-merge-diff's {@code fieldpath/serialize_test.go} (TestSerializeV1GoldenData,
 * TestDropUnknown, TestSerialize's random round trips) and {@code fieldpath/serialize-pe_test.go}
 * (TestPathElementRoundTrip, TestDeserializePathElementError), and the set operations of {@code set_test.go}.
 */
class FieldSetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> goldenV1() {
        return Stream.of(
                "{\"f:aaa\":{},\"f:aab\":{},\"f:aac\":{},\"f:aad\":{},\"f:aae\":{},\"f:aaf\":{},\"k:{\\\"name\\\":\\\"first\\\"}\":{},\"k:{\\\"name\\\":\\\"second\\\"}\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{},\"v:1\":{},\"v:2\":{},\"v:3\":{},\"v:\\\"aa\\\"\":{},\"v:\\\"ab\\\"\":{},\"v:true\":{},\"i:1\":{},\"i:2\":{},\"i:3\":{},\"i:4\":{}}",
                "{\"f:aaa\":{\"k:{\\\"name\\\":\\\"second\\\"}\":{\"v:3\":{\"f:aab\":{}}},\"v:3\":{},\"v:true\":{}},\"f:aab\":{\"f:aaa\":{},\"f:aaf\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{}}},\"k:{\\\"name\\\":\\\"first\\\"}\":{}},\"f:aac\":{\"f:aaa\":{\"v:1\":{}},\"f:aac\":{},\"v:3\":{\"k:{\\\"name\\\":\\\"second\\\"}\":{}}},\"f:aad\":{\"f:aac\":{\"v:1\":{}},\"f:aaf\":{\"k:{\\\"name\\\":\\\"first\\\"}\":{\"k:{\\\"name\\\":\\\"first\\\"}\":{}}},\"i:1\":{\"i:1\":{},\"i:3\":{\"v:true\":{}}}},\"f:aae\":{\"f:aae\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{}},\"i:4\":{\"f:aaf\":{}}},\"f:aaf\":{\"i:1\":{\"f:aac\":{}},\"i:2\":{},\"i:3\":{}},\"k:{\\\"name\\\":\\\"first\\\"}\":{\"f:aad\":{\"f:aaf\":{}}},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{\"f:aaa\":{\"f:aad\":{}}},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{\"f:aac\":{},\"k:{\\\"name\\\":\\\"first\\\"}\":{\"i:3\":{}},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{\"i:4\":{}}},\"v:1\":{\"f:aac\":{\"i:4\":{}},\"f:aaf\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{}},\"v:2\":{\"f:aad\":{\"f:aaf\":{}},\"i:1\":{}},\"v:3\":{\"f:aaa\":{},\"k:{\\\"name\\\":\\\"first\\\"}\":{},\"i:2\":{}},\"v:\\\"aa\\\"\":{\"f:aab\":{\"f:aaf\":{}},\"f:aae\":{},\"k:{\\\"name\\\":\\\"first\\\"}\":{\"f:aad\":{}},\"i:2\":{}},\"v:\\\"ab\\\"\":{\"f:aaf\":{\"i:4\":{}},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{},\"v:1\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{}},\"i:1\":{\"f:aae\":{\"i:4\":{}}}},\"v:true\":{\"k:{\\\"name\\\":\\\"second\\\"}\":{\"f:aaa\":{}},\"i:2\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{}}},\"i:1\":{\"i:3\":{\"f:aaf\":{}}},\"i:2\":{\"f:aae\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{\"v:1\":{}}},\"i:3\":{\"f:aab\":{\"v:true\":{\"v:\\\"aa\\\"\":{}}},\"f:aaf\":{},\"i:1\":{}},\"i:4\":{\"v:\\\"aa\\\"\":{\"f:aab\":{\"k:{\\\"name\\\":\\\"second\\\"}\":{}}}}}",
                // a Deployment as kubectl apply --server-side leaves it: "." where an item is a member with fields under it
                "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}");
    }

    @ParameterizedTest(name = "TestSerializeV1GoldenData {index}")
    @MethodSource("goldenV1")
    void readsAndWritesTheGoldenDocumentsByteForByte(String golden) throws IOException {
        FieldSet set = FieldSet.fromFieldsV1(JSON.readTree(golden));

        assertThat(set.toFieldsV1().toString()).isEqualTo(golden);
    }

    @Test
    void dropsElementsOfUnknownTypeAsTestDropUnknown() throws IOException {
        FieldSet set = FieldSet.fromFieldsV1(JSON.readTree("{\"f:aaa\":{},\"r:aab\":{}}"));

        assertThat(set.toFieldsV1().toString()).isEqualTo("{\"f:aaa\":{}}");
    }

    @ParameterizedTest(name = "TestPathElementRoundTrip {0}")
    @ValueSource(strings = {"i:0", "i:1234", "f:", "f:spec", "f:more-complicated-string", "f: string-with-spaces   ",
            "f:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "k:{\"name\":\"my-container\"}",
            "k:{\"name\":\"   name with spaces   \"}", "k:{\"port\":\"8080\",\"protocol\":\"TCP\"}", "k:{\"optionalField\":null}",
            "k:{\"jsonField\":{\"A\":1,\"B\":null,\"C\":\"D\",\"E\":{\"F\":\"G\"}}}", "k:{\"listField\":[\"1\",\"2\",\"3\"]}", "v:null",
            "v:\"some-string\"", "v:1234", "v:{\"some\":\"json\"}", "v:{\"some\":\" some  with spaces  \"}", "k:{\"name\":\"app-🚀\"}",
            "k:{\"name\":\"你好世界\"}", "f:spec-🚀", "f:spec-\\n"})
    void pathElementsRoundTrip(String text) {
        assertThat(PathElement.parse(text).serialize()).isEqualTo(text);
    }

    @ParameterizedTest(name = "TestDeserializePathElementError {0}")
    @ValueSource(strings = {"", "no-colon", "i:index is not a number", "i:1.23", "i:", "v:invalid json", "v:", "k:invalid json",
            "k:{\"name\":invalid}", "v", "k", "f", "i", "v:{\"a\":\"b\"", "k:{\"a\":\"b\"", "i: 0", "i:0 ",
            "v:{\"some\":\"json\"} {\"other\":\"json\"}", "k:{\"name\":\"my-container\"} {\"other\":\"my-container\"}",
            "v:{\"some\":\"json\"} garbage", "k:{\"name\":\"my-container\"} garbage"})
    void malformedPathElementsAreRefused(String text) {
        assertThatThrownBy(() -> PathElement.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathElementOfAnUnknownTypeIsRecognisedAsTestPathElementIgnoreUnknown() {
        assertThatThrownBy(() -> PathElement.parse("r:Hello")).isInstanceOf(PathElement.UnknownElementException.class);
    }

    @Test
    void randomSetsRoundTripAsTestSerialize() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            FieldSet set = new FieldSet();
            for (int j = 0; j < 50; j++) {
                set.insert(randomPath(random, 2 + random.nextInt(4)));
            }
            FieldSet read = FieldSet.fromFieldsV1(set.toFieldsV1());

            assertThat(read).isEqualTo(set);
            assertThat(read.toFieldsV1()).isEqualTo(set.toFieldsV1());
        }
    }

    private static FieldPath randomPath(Random random, int length) {
        FieldPath p = new FieldPath(List.of());
        String[] names = {"aaa", "aab", "aac", "aad"};
        for (int i = 0; i < length; i++) {
            PathElement e = switch (random.nextInt(4)) {
                case 0 -> new PathElement.Field(names[random.nextInt(names.length)]);
                case 1 -> PathElement.key(java.util.Map.of("name", JSON.getNodeFactory().textNode(names[random.nextInt(2)])));
                case 2 -> new PathElement.Value(JSON.getNodeFactory().numberNode(random.nextInt(3)));
                default -> new PathElement.Index(random.nextInt(4));
            };
            p = p.child(e);
        }
        return p;
    }

    @Test
    void setOperationsAsSetTest() {
        FieldSet a = Scenario.fieldsV1("{\"f:a\":{},\"f:b\":{\"f:c\":{},\"f:d\":{}},\"f:e\":{\".\":{},\"f:f\":{}}}");
        FieldSet b = Scenario.fieldsV1("{\"f:b\":{\"f:c\":{}},\"f:e\":{},\"f:g\":{}}");

        assertThat(a.union(b)).isEqualTo(Scenario.fieldsV1("{\"f:a\":{},\"f:b\":{\"f:c\":{},\"f:d\":{}},\"f:e\":{\".\":{},\"f:f\":{}},\"f:g\":{}}"));
        assertThat(a.intersection(b)).isEqualTo(Scenario.fieldsV1("{\"f:b\":{\"f:c\":{}},\"f:e\":{}}"));
        assertThat(a.difference(b)).as("a member of b leaves what is under it")
                .isEqualTo(Scenario.fieldsV1("{\"f:a\":{},\"f:b\":{\"f:d\":{}},\"f:e\":{\"f:f\":{}}}"));
        assertThat(a.recursiveDifference(b)).as("a member of b takes what is under it along")
                .isEqualTo(Scenario.fieldsV1("{\"f:a\":{},\"f:b\":{\"f:d\":{}}}"));
        assertThat(a.paths()).extracting(FieldPath::toString).containsExactly(".a", ".e", ".b.c", ".b.d", ".e.f");
    }

    @Test
    void pathsPrintAsUpstreamConflictMessagesDo() {
        FieldPath p = FieldPath.of("spec", "template", "spec", "containers")
                .child(PathElement.key(java.util.Map.of("name", JSON.getNodeFactory().textNode("app"))))
                .child(new PathElement.Field("ports"))
                .child(PathElement.key(java.util.Map.of("containerPort", JSON.getNodeFactory().numberNode(80),
                        "protocol", JSON.getNodeFactory().textNode("TCP"))));

        assertThat(p.toString()).isEqualTo(".spec.template.spec.containers[name=\"app\"].ports[containerPort=80,protocol=\"TCP\"]");
    }
}
