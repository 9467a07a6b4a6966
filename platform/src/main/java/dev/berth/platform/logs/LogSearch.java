package dev.berth.platform.logs;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code berth logs --search}: the newest shipped log lines matching a Lucene query string ({@code trace.id:abc},
 * {@code log.level:ERROR AND service.name:order-service}, or plain words), oldest first. Thread-safe.
 */
public final class LogSearch {

    /** A query Elasticsearch could not run (bad syntax): the caller's mistake, with Elasticsearch's reason. */
    public static final class BadQueryException extends RuntimeException {
        BadQueryException(String message) {
            super(message, null, false, false);
        }
    }

    private final ElasticsearchClient client;
    private final String indices;

    public LogSearch(ElasticsearchClient client, String indexPrefix) {
        this.client = client;
        this.indices = indexPrefix + "*";
    }

    /**
     * @param namespace only this namespace's replicas, or null for all
     * @param limit at most this many lines, the newest ones
     */
    public List<ObjectNode> search(String query, String namespace, int limit) throws IOException {
        List<Query> filters = new ArrayList<>();
        filters.add(Query.of(q -> q.queryString(s -> s.query(query).defaultOperator(Operator.And).allowLeadingWildcard(false))));
        if (namespace != null) {
            filters.add(Query.of(q -> q.term(t -> t.field("kubernetes.namespace").value(namespace))));
        }
        try {
            SearchResponse<ObjectNode> found = client.search(s -> s.index(indices).size(limit).ignoreUnavailable(true).allowNoIndices(true)
                    .query(q -> q.bool(b -> b.filter(filters)))
                    .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc)))
                    .sort(o -> o.field(f -> f.field("log.offset").order(SortOrder.Desc))), ObjectNode.class);
            List<ObjectNode> lines = new ArrayList<>(found.hits().hits().stream().map(h -> h.source()).toList());
            Collections.reverse(lines);
            return lines;
        } catch (ElasticsearchException e) {
            if (e.status() == 400) {
                String reason = e.error().rootCause().isEmpty() ? e.error().reason() : e.error().rootCause().get(0).reason();
                throw new BadQueryException("Elasticsearch cannot run the query \"" + query + "\": " + reason);
            }
            throw e;
        }
    }
}
