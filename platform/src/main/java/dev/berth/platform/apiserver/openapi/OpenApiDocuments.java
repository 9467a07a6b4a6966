package dev.berth.platform.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.discovery.HashedDocument;
import dev.berth.platform.apiserver.discovery.MediaRange;
import dev.berth.platform.apiserver.discovery.ServedDocument;
import dev.berth.platform.apiserver.discovery.ServedResource;
import dev.berth.platform.apiserver.discovery.ServedResources;
import dev.berth.platform.apiserver.discovery.ServerVersion;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * OpenAPI v3 as kube-apiserver serves it (kube-openapi pkg/handler3): {@code /openapi/v3} lists one document per
 * group version ({@code "apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=<SHA-512>"}}), and
 * each document holds the paths of that group version and the schemas they use, generated from fabric8's model
 * classes.
 *
 * <p>All documents are generated, serialized and hashed once, at construction; serving picks bytes. A document's
 * hash is the SHA-512 of its bytes, so the listing's URL changes exactly when the document does, which is what
 * lets clients cache documents fetched with a hash for good. Immutable and thread-safe once built.
 */
public final class OpenApiDocuments {

    public static final String ROOT = "/openapi/v3";
    private static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** HTTP-date, as Go's time.RFC1123 in UTC writes it. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final Map<String, HashedDocument> byGroupVersion = new TreeMap<>();
    private final HashedDocument root;
    private final Clock clock;

    /**
     * @param resources what the core serves
     * @param extensions vendor extensions per model property (patch strategies, list types)
     * @param clock for the {@code Expires} header of hashed fetches
     */
    public OpenApiDocuments(List<ServedResource> resources, FieldExtensions extensions, Clock clock) {
        this.clock = clock;
        ModelSchemas schemas = new ModelSchemas(extensions);
        ServedResources.byGroupVersion(resources).forEach((group, versions) -> versions.forEach((version, served) -> {
            String key = ResourcePaths.prefix(group, version).substring(1);
            byGroupVersion.put(key, HashedDocument.of(bytes(document(schemas, group, version, served)), JSON_TYPE));
        }));
        ObjectNode paths = NODES.objectNode();
        byGroupVersion.forEach((key, doc) -> paths.set(key,
                NODES.objectNode().put("serverRelativeURL", serverRelativeUrl(key, doc.hash()))));
        root = HashedDocument.of(bytes(NODES.objectNode().set("paths", paths)), JSON_TYPE);
    }

    /** The documents for every kind the core knows, with the given patch metadata. */
    public static OpenApiDocuments forServedKinds(FieldExtensions extensions) {
        return new OpenApiDocuments(ServedResources.all(), extensions, Clock.systemUTC());
    }

    /** The group-version keys of the listing, {@code api/v1}, {@code apis/apps/v1}, sorted. */
    public Set<String> groupVersions() {
        return byGroupVersion.keySet();
    }

    /** One group version's document ({@code apis/apps/v1}), if served. */
    public Optional<HashedDocument> document(String groupVersion) {
        return Optional.ofNullable(byGroupVersion.get(groupVersion));
    }

    /**
     * Answers a GET under {@code /openapi/v3}, or empty when the path names no document (the caller answers 404).
     * As handler3: the listing is JSON; a document is served as JSON to an Accept that admits it (else 406), with
     * {@code ETag} and {@code Vary: Accept}; fetched with its current {@code hash} it is immutable
     * ({@code Cache-Control: public, immutable}, expiring in a year); with a stale hash it redirects (301) to the
     * current URL; an If-None-Match equal to the ETag answers 304.
     *
     * @param hash the {@code hash} query parameter, null or empty when absent
     */
    public Optional<ServedDocument> serve(String path, String hash, String accept, String ifNoneMatch) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals(ROOT)) {
            return Optional.of(root.serve(ifNoneMatch, Map.of()));
        }
        if (!p.startsWith(ROOT + "/")) {
            return Optional.empty();
        }
        String key = p.substring(ROOT.length() + 1);
        HashedDocument doc = byGroupVersion.get(key);
        if (doc == null) {
            return Optional.empty();
        }
        if (MediaRange.parse(accept).stream().noneMatch(clause -> clause.admits("application", "json"))) {
            return Optional.of(new ServedDocument(406, new byte[0], Map.of("Vary", "Accept")));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Accept");
        if (hash != null && !hash.isEmpty()) {
            if (!hash.equals(doc.hash())) {
                return Optional.of(new ServedDocument(301, new byte[0],
                        Map.of("Location", serverRelativeUrl(key, doc.hash()), "Vary", "Accept", "ETag", doc.etag())));
            }
            headers.put("Cache-Control", "public, immutable");
            headers.put("Expires", HTTP_DATE.format(clock.instant().atZone(ZoneOffset.UTC).plusYears(1)));
        }
        return Optional.of(doc.serve(ifNoneMatch, headers));
    }

    private static String serverRelativeUrl(String key, String hash) {
        return ROOT + "/" + key + "?hash=" + hash;
    }

    private static ObjectNode document(ModelSchemas schemas, String group, String version, List<ServedResource> served) {
        Set<String> roots = new HashSet<>();
        ResourcePaths builder = new ResourcePaths(schemas, roots);
        SortedMap<String, ObjectNode> paths = new TreeMap<>();
        builder.addResourceList(paths, group, version);
        served.forEach(r -> builder.add(paths, r));

        ObjectNode doc = NODES.objectNode().put("openapi", "3.0.0");
        doc.set("info", NODES.objectNode().put("title", "Kubernetes").put("version", ServerVersion.GIT_VERSION));
        doc.set("paths", NODES.objectNode().setAll(paths));
        ObjectNode components = doc.putObject("components");
        components.set("schemas", NODES.objectNode().setAll(schemas.closure(roots)));
        components.putObject("securitySchemes").set("BearerToken", NODES.objectNode()
                .put("type", "apiKey").put("description", "Bearer Token authentication")
                .put("name", "authorization").put("in", "header"));
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
