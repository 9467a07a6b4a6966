package dev.berth.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the shipper's client puts a batch on the wire, read off a real socket: the HTTP chunks of a {@code _bulk} body are
 * {@link ContiguousBodies#CHUNK} bytes, not the connection's default 8 KiB (hundreds of chunks per batch; a raw load sent
 * that way reached 7.5 % fewer documents/s: README, log shipper benchmark).
 */
class ElasticsearchChunksTest {

    /** One request's chunk sizes and body, as the server read them. */
    record Received(List<Integer> chunks, byte[] body) {}

    @Test
    void aBatchGoesOutInChunksOfContiguousBodiesSize() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Elasticsearch es = new Elasticsearch(URI.create("http://127.0.0.1:" + server.getLocalPort()))) {
            CompletableFuture<Received> received = CompletableFuture.supplyAsync(() -> answerOneBulk(server));
            byte[] doc = ("{\"message\":\"" + "x".repeat(600) + "\"}").getBytes(StandardCharsets.UTF_8);
            List<BulkOperation> ops = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String id = "pods/order-0/order/42:" + i * 650L;
                ops.add(BulkOperation.of(o -> o.index(x -> x.index("berth-logs-2026.12.07").id(id).document(BinaryData.of(doc, ContentType.APPLICATION_JSON)))));
            }

            BulkResponse response = es.client().bulk(b -> b.operations(ops));

            Received r = received.get(30, TimeUnit.SECONDS);
            assertThat(response.items()).hasSize(2000);
            assertThat(new String(r.body(), StandardCharsets.UTF_8).split("\n")).hasSize(4000).contains(new String(doc, StandardCharsets.UTF_8));
            assertThat(r.body().length).as("a batch larger than a chunk").isGreaterThan(4 * ContiguousBodies.CHUNK);
            assertThat(r.chunks()).as("full chunks of ContiguousBodies' size, the last one shorter")
                    .hasSize((r.body().length + ContiguousBodies.CHUNK - 1) / ContiguousBodies.CHUNK);
            assertThat(r.chunks().subList(0, r.chunks().size() - 1)).containsOnly(ContiguousBodies.CHUNK);
        }
    }

    /** Reads one chunked POST and answers it as Elasticsearch answers a bulk request that indexed every item. */
    private static Received answerOneBulk(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                chunked |= header.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
            }
            assertThat(chunked).as("the client streams the body in chunks").isTrue();
            List<Integer> chunks = new ArrayList<>();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                chunks.add(size);
                body.write(in.readNBytes(size));
                line(in); // the CRLF after the chunk's data
            }
            line(in); // the empty trailer
            int items = (int) body.toString(StandardCharsets.UTF_8).lines().count() / 2;
            StringBuilder answer = new StringBuilder("{\"took\":1,\"errors\":false,\"items\":[");
            for (int i = 0; i < items; i++) {
                answer.append(i == 0 ? "" : ",").append("{\"index\":{\"_index\":\"berth-logs-2026.12.07\",\"status\":201}}");
            }
            byte[] json = answer.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Elastic-Product: Elasticsearch\r\nContent-Length: "
                    + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(json);
            socket.getOutputStream().flush();
            return new Received(chunks, body.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended inside a line: " + sb);
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
