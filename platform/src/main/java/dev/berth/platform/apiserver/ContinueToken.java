package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where the next page of a list starts: the list's resourceVersion and the last object returned (namespace, name), as
 * kube-apiserver's continue token ({@code {"v":"meta.k8s.io/v1","rv":…,"start":…}}, base64url). The next page holds
 * the objects after that one as they are when it is asked for: the store keeps no older snapshots, so a page may show
 * changes made since the first (upstream would answer 410 once its snapshot is compacted).
 */
record ContinueToken(long resourceVersion, String namespace, String name) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Comparator<ContinueToken> ORDER = Comparator.comparing(ContinueToken::namespace).thenComparing(ContinueToken::name);

    static ContinueToken after(long resourceVersion, HasMetadata last) {
        return new ContinueToken(resourceVersion, Objects.toString(last.getMetadata().getNamespace(), ""), last.getMetadata().getName());
    }

    /** Whether {@code o} comes after this token's object in list order (namespace, then name). */
    boolean isBefore(HasMetadata o) {
        return ORDER.compare(after(resourceVersion, o), this) > 0;
    }

    String encode() {
        var node = MAPPER.createObjectNode().put("v", "meta.k8s.io/v1").put("rv", resourceVersion).put("start", namespace + "/" + name);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiException 400 when the token is not one this server made */
    static ContinueToken decode(String token) {
        try {
            JsonNode node = MAPPER.readTree(Base64.getUrlDecoder().decode(token));
            String start = node.path("start").asText();
            int slash = start.indexOf('/');
            if (!"meta.k8s.io/v1".equals(node.path("v").asText()) || !node.path("rv").canConvertToLong() || slash < 0) {
                throw new IllegalArgumentException("not a continue token");
            }
            return new ContinueToken(node.path("rv").asLong(), start.substring(0, slash), start.substring(slash + 1));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
        }
    }
}
