package dev.berth.platform.logs;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.PutIndexTemplateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The index template for the shipper's daily indices ({@code observability/elasticsearch/index-template.json}, on
 * the classpath), put into Elasticsearch before the first document, so no index is ever created with guessed
 * mappings. Until it is applied (Elasticsearch not up yet) nothing is shipped; tried again every few seconds.
 */
public final class IndexTemplate {

    static final String NAME = "berth-logs";
    static final String RESOURCE = "observability/elasticsearch/index-template.json";
    private static final Logger LOG = Logger.getLogger(IndexTemplate.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final ElasticsearchClient client;
    private final String body;
    private volatile boolean applied;
    private long nextTryNanos;
    private boolean warned;

    public IndexTemplate(ElasticsearchClient client) {
        this.client = client;
        try (InputStream in = IndexTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the core's classpath");
            }
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the template is in place; tries to put it when not and a try is due. Shipper thread only. */
    boolean ensureApplied() {
        if (applied || System.nanoTime() < nextTryNanos) {
            return applied;
        }
        try {
            client.indices().putIndexTemplate(PutIndexTemplateRequest.of(b -> b.name(NAME).withJson(new StringReader(body))));
            applied = true;
            LOG.infof("index template %s applied; shipping replica logs", NAME);
        } catch (IOException | RuntimeException e) {
            nextTryNanos = System.nanoTime() + RETRY.toNanos();
            if (!warned) {
                LOG.warnf("Elasticsearch is not reachable yet (%s); replica logs wait on disk", e.toString());
                warned = true;
            }
        }
        return applied;
    }
}
