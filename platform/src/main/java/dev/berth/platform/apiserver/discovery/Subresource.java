package dev.berth.platform.apiserver.discovery;

import java.util.List;

/**
 * A subresource of a served resource ({@code pods/log}, {@code deployments/scale}).
 *
 * @param name the path segment after the object's name
 * @param kind the kind discovery reports for it ({@code autoscaling/v1 Scale}; the parent's kind for status and log)
 * @param body the Java type of what it reads and writes; {@code String} for plain text ({@code log})
 * @param verbs the verbs it serves, sorted
 */
public record Subresource(String name, GroupVersionKind kind, Class<?> body, List<String> verbs) {

    public Subresource {
        verbs = List.copyOf(verbs);
    }

    /** Whether the subresource answers plain text rather than a Kubernetes object. */
    public boolean text() {
        return body == String.class;
    }
}
