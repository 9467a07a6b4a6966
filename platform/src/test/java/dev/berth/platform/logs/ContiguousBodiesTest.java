package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.transport.http.TransportHttpClient.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContiguousBodiesTest {

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Iterable<ByteBuffer> body) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : body) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return sb.toString();
    }

    @Test
    void aBodyOfManyBuffersGoesAsOneWithTheSameBytesAndTheRequestsOtherParts() {
        List<ByteBuffer> parts = new ArrayList<>(List.of(text("{\"index\":{\"_id\":\"a\"}}"), text("\n"), text("{\"message\":\"é\"}"), text("\n")));
        parts.get(0).position(1).position(0); // a buffer already read by a first attempt still counts whole
        Request request = new Request("POST", "/_bulk", Map.of("filter_path", "errors"), Map.of("Content-Type", "application/x-ndjson"), parts);

        Request joined = ContiguousBodies.joined(request);

        assertThat(joined.body()).hasSize(1);
        assertThat(text(joined.body())).isEqualTo("{\"index\":{\"_id\":\"a\"}}\n{\"message\":\"é\"}\n");
        assertThat(text(joined.body())).as("readable again, as a retry reads it").isEqualTo(text(request.body()));
        assertThat(joined.method()).isEqualTo("POST");
        assertThat(joined.path()).isEqualTo("/_bulk");
        assertThat(joined.queryParams()).isEqualTo(Map.of("filter_path", "errors"));
        assertThat(joined.headers()).isEqualTo(Map.of("Content-Type", "application/x-ndjson"));
        assertThat(parts).allSatisfy(b -> assertThat(b.position()).as("the client's own buffers are left as they were").isZero());
    }

    @Test
    void aBatchLargerThanAChunkGoesInFullChunksOfTheSameBytesNoneHumongous() {
        List<ByteBuffer> parts = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            String action = "{\"index\":{\"_index\":\"berth-logs-2026.12.07\",\"_id\":\"" + i + "\"}}";
            String doc = "{\"message\":\"line " + i + " " + "x".repeat(i % 700) + "\"}";
            for (String part : List.of(action, "\n", doc, "\n")) {
                parts.add(text(part));
                expected.append(part);
            }
        }
        String big = "y".repeat(ContiguousBodies.CHUNK * 2 + 17); // one document larger than two chunks
        parts.add(text(big));
        expected.append(big);
        Request request = new Request("POST", "/_bulk", Map.of(), Map.of(), parts);

        Request joined = ContiguousBodies.joined(request);

        List<ByteBuffer> chunks = new ArrayList<>();
        joined.body().forEach(chunks::add);
        int total = expected.toString().getBytes(StandardCharsets.UTF_8).length;
        assertThat(chunks).hasSize((total + ContiguousBodies.CHUNK - 1) / ContiguousBodies.CHUNK);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.remaining()).isEqualTo(ContiguousBodies.CHUNK));
        assertThat(chunks.get(chunks.size() - 1).remaining()).isBetween(1, ContiguousBodies.CHUNK);
        assertThat(text(joined.body())).isEqualTo(expected.toString());
        assertThat(text(joined.body())).as("readable again, as a retry reads it").isEqualTo(expected.toString());
        assertThat(parts).allSatisfy(b -> assertThat(b.position()).as("the client's own buffers are left as they were").isZero());
    }

    @Test
    void aRequestWithoutBodyOrWithOneBufferIsPassedOnAsItIs() {
        Request none = new Request("GET", "/_cluster/health", Map.of(), Map.of(), null);
        Request one = new Request("PUT", "/_index_template/x", Map.of(), Map.of(), List.of(text("{}")));
        Request empty = new Request("PUT", "/_index_template/x", Map.of(), Map.of(), List.of());

        assertThat(ContiguousBodies.joined(none)).isSameAs(none);
        assertThat(ContiguousBodies.joined(one)).isSameAs(one);
        assertThat(ContiguousBodies.joined(empty)).isSameAs(empty);
    }
}
