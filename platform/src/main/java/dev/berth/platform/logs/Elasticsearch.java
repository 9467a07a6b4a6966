package dev.berth.platform.logs;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.rest_client.RestClientHttpClient;
import java.io.IOException;
import java.net.URI;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/** The Elasticsearch client the shipper and log search share: one low-level REST client, closed with the core. */
public final class Elasticsearch implements AutoCloseable {

    private final RestClient rest;
    private final ElasticsearchClient client;

    public Elasticsearch(URI url) {
        this.rest = RestClient.builder(new HttpHost(url.getHost(), url.getPort() < 0 ? 9200 : url.getPort(), url.getScheme()))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setSocketTimeout(30_000))
                .build();
        // RestClientTransport's own HTTP layer, bodies joined into one buffer (see ContiguousBodies)
        this.client = new ElasticsearchClient(new ElasticsearchTransportBase(new ContiguousBodies(new RestClientHttpClient(rest)), null,
                new JacksonJsonpMapper()) {});
    }

    public ElasticsearchClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
