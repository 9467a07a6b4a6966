package dev.berth.platform.apiserver;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.platform.api.manifest.ManifestCheckTest;
import dev.berth.platform.model.ResourceKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A seeded generator of apply requests, each a body of one or more documents as {@code kubectl apply -f} reads a
 * file: the kit's own manifests ({@code k8s/}, the services' Kubernetes fragments, the pipeline's policy fixtures,
 * the validator's test manifests), mutated field by field (values swapped for hostile ones: path-like names, absurd
 * quantities, huge numbers, wrong types), byte by byte, spliced, or pure garbage; with a namespace that is sometimes
 * a path. The same seed gives the same requests; {@link Write} says where a client sends each document.
 */
public final class ManifestFuzzer {

    /** One apply request. */
    public record Request(String body, String namespace, boolean dryRun) {

        /** The body's documents, split as a client splits a file before it sends each. */
        public List<String> documents() {
            return List.of(body.split("(?m)^---\\s*$"));
        }
    }

    /** What the client reads a document with to find its URL; refusing what it cannot read is the server's job. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One document's request: where kubectl would send it, and how. */
    public record Write(String method, String path, String contentType) {

        /**
         * @param create a POST to the kind's collection; else a server-side apply to the object. A document the
         *               client cannot read, or of a kind the core does not serve, goes to the ConfigMaps.
         */
        public static Write of(String document, Request request, boolean create) {
            JsonNode tree = read(document);
            ResourceKind kind = ResourceKind.ofKind(tree.path("apiVersion").asText(), tree.path("kind").asText()).orElse(ResourceKind.CONFIGMAP);
            String namespace = request.namespace() != null && !request.namespace().isEmpty() ? request.namespace()
                    : tree.path("metadata").path("namespace").asText("default");
            String collection = (kind.apiVersion().contains("/") ? "/apis/" : "/api/") + kind.apiVersion()
                    + (kind.namespaced() ? "/namespaces/" + segment(namespace) : "") + "/" + kind.plural();
            String dryRun = request.dryRun() ? "dryRun=All" : "";
            if (create) {
                return new Write("POST", collection + (dryRun.isEmpty() ? "" : "?" + dryRun), "application/yaml");
            }
            String name = tree.path("metadata").path("name").asText("fuzz");
            return new Write("PATCH", collection + "/" + segment(name.isEmpty() ? "fuzz" : name) + "?fieldManager=fuzz&force=true"
                    + (dryRun.isEmpty() ? "" : "&" + dryRun), ServerSideApply.MEDIA_TYPE);
        }

        private static JsonNode read(String document) {
            try {
                JsonNode tree = YAML.readTree(document);
                return tree == null ? YAML.createObjectNode() : tree;
            } catch (JacksonException unreadable) {
                return YAML.createObjectNode();
            }
        }

        private static String segment(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    private static final List<Object> HOSTILE_VALUES = List.of(
            "", " ", "..", "../../outside", "/tmp/outside", "a/b", "UPPER", "x".repeat(64), "y".repeat(251), "z".repeat(300),
            "1e-32000000", "1e32000000", "0.5n", "9223372036854775808", "8Ei", "-1", "NaN", "250m", "1Gi",
            -1, 0, 1, 101, Integer.MAX_VALUE, Long.MAX_VALUE, 1e308, -1e308, true, "FTP", "x", "8080=7070", "8080=41234",
            "/q/health ready", "X Bad", "é\u0000\u202e", List.of(), Map.of(), List.of(List.of(List.of())), Map.of("a", Map.of("b", "c")));
    private static final List<String> NAMESPACES = List.of("default", "berth", "", "..", "a/b", "UPPER", "n".repeat(64));
    private static final List<String> KEYS = List.of("name", "namespace", "replicas", "cpu", "memory", "storage", "scheme", "path",
            "port", "containerPort", "image", "metadata", "spec", "kind", "apiVersion", "berth.dev/host-ports", "httpHeaders");

    private final List<String> seeds;
    private final Random random;
    private final Path outside;

    /**
     * @param outside an absolute directory that must never be written: it is offered as a namespace
     */
    public ManifestFuzzer(long seed, Path outside) {
        this.seeds = seeds();
        this.random = new Random(seed);
        this.outside = outside;
    }

    public List<String> seedDocuments() {
        return seeds;
    }

    public Request next() {
        String body = switch (random.nextInt(10)) {
            case 0 -> pick(seeds);
            case 1, 2, 3, 4 -> mutateTree(pick(seeds), 1 + random.nextInt(4));
            case 5, 6 -> mutateText(pick(seeds));
            case 7 -> pick(seeds) + "\n---\n" + mutateTree(pick(seeds), 1);
            case 8 -> hostileStructure();
            default -> garbage();
        };
        return new Request(body, namespace(), random.nextInt(4) == 0);
    }

    private String namespace() {
        int r = random.nextInt(10);
        if (r < 5) {
            return null;
        }
        return r == 5 ? outside.toString() : pick(NAMESPACES);
    }

    @SuppressWarnings("unchecked")
    private String mutateTree(String seed, int mutations) {
        Object tree;
        try {
            tree = ApiOverStore.JSON.unmarshal(seed, Map.class);
        } catch (RuntimeException notAMap) {
            return mutateText(seed);
        }
        for (int i = 0; i < mutations; i++) {
            mutate(tree, 0);
        }
        return random.nextBoolean() ? ApiOverStore.JSON.asJson(tree) : ApiOverStore.JSON.asYaml(tree);
    }

    /** Walks to a random node and replaces, removes or adds one field there. */
    @SuppressWarnings("unchecked")
    private void mutate(Object node, int depth) {
        if (node instanceof Map<?, ?> m && !m.isEmpty()) {
            Map<String, Object> map = (Map<String, Object>) m;
            List<String> keys = new ArrayList<>(map.keySet());
            String key = pick(keys);
            Object child = map.get(key);
            if ((child instanceof Map<?, ?> || child instanceof List<?>) && random.nextInt(4) != 0 && depth < 20) {
                mutate(child, depth + 1);
                return;
            }
            switch (random.nextInt(4)) {
                case 0 -> map.remove(key);
                case 1 -> map.put(pick(KEYS), hostile());
                default -> map.put(key, hostile());
            }
        } else if (node instanceof List<?> l && !l.isEmpty()) {
            List<Object> list = (List<Object>) l;
            int index = random.nextInt(list.size());
            Object child = list.get(index);
            if ((child instanceof Map<?, ?> || child instanceof List<?>) && random.nextBoolean() && depth < 20) {
                mutate(child, depth + 1);
            } else {
                list.set(index, hostile());
            }
        }
    }

    /** A hostile value, its collections mutable so later mutations can reach into them. */
    private Object hostile() {
        return mutableCopy(pick(HOSTILE_VALUES));
    }

    private static Object mutableCopy(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(ManifestFuzzer::mutableCopy).toList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, mutableCopy(v)));
            return copy;
        }
        return value;
    }

    private String mutateText(String seed) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(5);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, (char) (random.nextInt(95) + 32));
                case 2 -> s.setLength(at);
                case 3 -> s.insert(at, pick(List.of("&a ", "*a", "[", "{", ": ", "\n  - ", "\t", "'", "\"", "\n---\n", "<<: *a\n")));
                default -> s.setCharAt(at, (char) random.nextInt(0x3000));
            }
        }
        return s.toString();
    }

    /** Documents built to hurt the parser: aliases that expand, deep nesting, huge scalars. */
    private String hostileStructure() {
        String head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hostile}\n";
        return switch (random.nextInt(4)) {
            case 0 -> {
                StringBuilder y = new StringBuilder(head).append("data:\n  a0: &a0 [x, x, x, x]\n");
                int levels = 5 + random.nextInt(20);
                for (int i = 1; i <= levels; i++) {
                    y.append("  a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
                }
                yield y.toString();
            }
            case 1 -> head + "data: " + "[".repeat(50 + random.nextInt(5000)) + "\n";
            case 2 -> head + "data: {k: \"" + "v".repeat(random.nextInt(200_000)) + "\"}\n";
            default -> "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001);
        };
    }

    private String garbage() {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Every document of the kit's manifests and the validator's test manifests, one string each. */
    public static List<String> seeds() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("k8s")) && root.getParent() != null) {
            root = root.getParent(); // the module directory under surefire, the checkout's root under JMH
        }
        List<String> documents = new ArrayList<>();
        for (Path dir : List.of(root.resolve("k8s"), root.resolve("services/order-service/src/main/kubernetes"),
                root.resolve("services/payment-service/src/main/kubernetes"), root.resolve("platform/src/test/resources/pipeline"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                    documents.addAll(List.of(Files.readString(f).split("\n---\n")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the fuzz seeds are read from the checkout: " + dir, e);
            }
        }
        documents.addAll(List.of(ManifestCheckTest.DEPLOYMENT, ManifestCheckTest.SERVICE, ManifestCheckTest.STATEFULSET,
                ApplyRefusalTest.CONFIGMAP));
        return documents;
    }
}
