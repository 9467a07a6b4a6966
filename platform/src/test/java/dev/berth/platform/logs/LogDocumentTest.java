package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogDocumentTest {

    static final LogSource SOURCE = new LogSource("berth", "order-service-7c9d-x2k4", "order-service", "node-2", "zone-b", "3",
            "order-service", "order-service", "/state/pods/berth/order-service-7c9d-x2k4/logs/order-service.log",
            "berth/order-service-7c9d-x2k4/order-service/4711", "2026-11-20T08:00:00Z");

    static LogDocument doc(String line, long offset, String previous) {
        byte[] bytes = ("junk" + line + "junk").getBytes(StandardCharsets.UTF_8);
        return LogDocument.of(SOURCE, bytes, 4, line.getBytes(StandardCharsets.UTF_8).length, offset, previous, "berth-logs-");
    }

    @Test
    void aJsonLineKeepsEveryFieldAndGetsTheReplicasMetadata() {
        LogDocument d = doc("{\"@timestamp\":\"2026-11-22T23:59:59.123456789Z\",\"log.level\":\"INFO\",\"message\":\"order placed\","
                + "\"trace.id\":\"abc\",\"service.name\":\"order-service\",\"mdc\":{\"traceId\":\"abc\"}}", 1024, null);

        assertThat(d.plain()).isFalse();
        assertThat(d.index()).isEqualTo("berth-logs-2026.11.22");
        assertThat(d.id()).isEqualTo("berth/order-service-7c9d-x2k4/order-service/4711:1024");
        assertThat(d.timestamp()).isEqualTo("2026-11-22T23:59:59.123456789Z");
        assertThat(d.body().get("message").asText()).isEqualTo("order placed");
        assertThat(d.body().get("trace.id").asText()).isEqualTo("abc");
        assertThat(d.body().get("mdc").get("traceId").asText()).isEqualTo("abc");
        assertThat(d.body().get("kubernetes.namespace").asText()).isEqualTo("berth");
        assertThat(d.body().get("kubernetes.pod.name").asText()).isEqualTo("order-service-7c9d-x2k4");
        assertThat(d.body().get("kubernetes.node.name").asText()).isEqualTo("node-2");
        assertThat(d.body().get("cloud.availability_zone").asText()).isEqualTo("zone-b");
        assertThat(d.body().get("berth.revision").asText()).isEqualTo("3");
        assertThat(d.body().get("log.offset").asLong()).isEqualTo(1024);
        assertThat(d.body().has("tags")).isFalse();
    }

    @Test
    void aLineThatIsNotJsonIsShippedWholeAsAPlainMessageWithTheLastTimestampBeforeIt() {
        LogDocument d = doc("Exception in thread \"main\" java.lang.OutOfMemoryError\r", 77, "2026-11-21T10:00:00Z");

        assertThat(d.plain()).isTrue();
        assertThat(d.body().get("message").asText()).isEqualTo("Exception in thread \"main\" java.lang.OutOfMemoryError");
        assertThat(d.body().get("tags").get(0).asText()).isEqualTo(LogDocument.PLAIN_TAG);
        assertThat(d.body().get("@timestamp").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(d.index()).isEqualTo("berth-logs-2026.11.21");
        assertThat(d.body().get("service.name").asText()).as("the workload's service when the line names none").isEqualTo("order-service");
    }

    @Test
    void aPlainLineBeforeAnyTimestampTakesThePodsStart() {
        LogDocument d = doc("{not json", 0, null);

        assertThat(d.plain()).isTrue();
        assertThat(d.body().get("@timestamp").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(d.index()).isEqualTo("berth-logs-2026.11.20");
    }

    @Test
    void jsonThatIsNotAnObjectIsPlain() {
        assertThat(doc("[1,2,3]", 0, null).plain()).isTrue();
        assertThat(doc("", 0, null).plain()).isTrue();
    }

    @Test
    void theSameLineAtTheSamePlaceIsTheSameDocumentEveryTime() {
        String line = "plain line";
        LogDocument first = doc(line, 9, "2026-11-21T10:00:00Z");
        LogDocument replay = doc(line, 9, "2026-11-21T10:00:00Z");

        assertThat(replay.id()).isEqualTo(first.id());
        assertThat(replay.index()).isEqualTo(first.index());
        assertThat(replay.body()).isEqualTo(first.body());
    }

    @Test
    void aTimestampWithAnOffsetPicksTheUtcDay() {
        assertThat(doc("{\"@timestamp\":\"2026-11-23T00:30:00+01:00\"}", 0, null).index()).isEqualTo("berth-logs-2026.11.22");
    }

    @Test
    void anUnreadableTimestampIsLeftForElasticsearchToRefuseWhileTheIndexFollowsTheFile() {
        LogDocument d = doc("{\"@timestamp\":\"yesterday\",\"message\":\"x\"}", 0, "2026-11-21T10:00:00Z");

        assertThat(d.body().get("@timestamp").asText()).isEqualTo("yesterday");
        assertThat(d.index()).isEqualTo("berth-logs-2026.11.21");
        assertThat(d.timestamp()).as("the next plain line inherits the last good timestamp").isEqualTo("2026-11-21T10:00:00Z");
    }

    @Test
    void aLineUsingOneOfTheShippersFieldsGetsTheShippersValueAndNoDuplicateKey() {
        LogDocument d = doc("{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"log.offset\":\"mine\",\"message\":\"x\"}", 42, null);

        assertThat(d.body().get("log.offset").asLong()).isEqualTo(42);
        assertThat(new String(d.json(), StandardCharsets.UTF_8)).containsOnlyOnce("\"log.offset\"");
        assertThat(d.body().get("message").asText()).isEqualTo("x");
    }

    @Test
    void theDocumentIsTheLinesOwnJsonWithTheMetadataAppended() {
        LogDocument d = doc("{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"message\":\"caf\u00e9 \\\"quoted\\\"\"}  \r", 7, null);

        assertThat(new String(d.json(), StandardCharsets.UTF_8)).startsWith("{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"message\":\"caf\u00e9 \\\"quoted\\\"\",");
        assertThat(d.body().get("message").asText()).isEqualTo("caf\u00e9 \"quoted\"");
        assertThat(d.body().get("kubernetes.container.name").asText()).isEqualTo("order-service");
    }

    @Test
    void anEmptyObjectOrOneFollowedByMoreTextIsHandled() {
        LogDocument empty = doc("{}", 0, "2026-11-21T10:00:00Z");
        assertThat(empty.plain()).isFalse();
        assertThat(empty.body().get("@timestamp").asText()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(empty.body().get("log.offset").asLong()).isZero();

        LogDocument trailing = doc("{\"message\":\"a\"} and more", 0, null);
        assertThat(trailing.plain()).isTrue();
        assertThat(trailing.body().get("message").asText()).isEqualTo("{\"message\":\"a\"} and more");
    }
}
