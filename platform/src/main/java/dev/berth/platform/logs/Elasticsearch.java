package dev.berth.platform.logs;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
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
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    public ElasticsearchClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
