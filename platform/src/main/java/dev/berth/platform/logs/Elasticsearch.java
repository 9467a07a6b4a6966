package dev.berth.platform.logs;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.rest_client.RestClientHttpClient;
import java.io.IOException;
import java.net.URI;
import org.apache.http.HttpHost;
import org.apache.http.config.ConnectionConfig;
import org.elasticsearch.client.RestClient;

/** The Elasticsearch client the shipper and log search share: one low-level REST client, closed with the core. */
public final class Elasticsearch implements AutoCloseable {

    private final RestClient rest;
    private final ElasticsearchClient client;

    public Elasticsearch(URI url) {
        this.rest = RestClient.builder(new HttpHost(url.getHost(), url.getPort() < 0 ? 9200 : url.getPort(), url.getScheme()))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setSocketTimeout(30_000))
                // A request body goes out in HTTP chunks no larger than the connection's buffer, 8 KiB by default: a
                // 1–4 MiB bulk request in hundreds of chunks (measured: a raw _bulk load sent in 8 KiB chunks reached
                // 7.5 % fewer documents/s than in one body; ci/bench-logs.sh, BENCH_RAW_CHUNK). With buffers of
                // ContiguousBodies' size, a batch goes out in a few chunks of that size
                .setHttpClientConfigCallback(b -> b.setDefaultConnectionConfig(ConnectionConfig.custom().setBufferSize(BUFFER).build()))
                .build();
        // RestClientTransport's own HTTP layer, bodies joined into one buffer (see ContiguousBodies)
        this.client = new ElasticsearchClient(new ElasticsearchTransportBase(new ContiguousBodies(new RestClientHttpClient(rest)), null,
                new JacksonJsonpMapper()) {});
    }

    /** Each connection's input and output buffer: the request's line and headers, then a whole {@link ContiguousBodies#CHUNK}. */
    static final int BUFFER = ContiguousBodies.CHUNK + 8192;

    public ElasticsearchClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
