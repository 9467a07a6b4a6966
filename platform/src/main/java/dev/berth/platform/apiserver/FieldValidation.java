package dev.berth.platform.apiserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code fieldValidation} directive of a write, as kube-apiserver's handlers apply it: fields the kind does not
 * have and fields a JSON body names twice are refused under {@code Strict} (400, "strict decoding error"), answered
 * as {@code Warning} headers under {@code Warn} — the default — and passed over silently under {@code Ignore}; in the
 * last two cases the unknown fields are dropped, never stored. Immutable.
 */
enum FieldValidation {
    STRICT("Strict"), WARN("Warn"), IGNORE("Ignore");

    private static final JsonFactory JSON = new JsonFactory();

    private final String directive;

    FieldValidation(String directive) {
        this.directive = directive;
    }

    /** The query parameter's value; none means {@code Warn}, as upstream's {@code fieldValidation()} defaults it. */
    static FieldValidation of(String directive) {
        if (directive == null || directive.isEmpty()) {
            return WARN;
        }
        for (FieldValidation v : values()) {
            if (v.directive.equals(directive)) {
                return v;
            }
        }
        throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + directive
                + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    }

    /**
     * Checks a decoded object (and, when it came as JSON, the body it came from) and drops its unknown fields.
     *
     * @param rawJson the request body when it is JSON and names the object's own fields, else null
     * @return the warnings to send (empty unless {@code Warn})
     * @throws ApiException 400 under {@code Strict} when there is anything to say
     */
    List<String> check(ResourceKind kind, HasMetadata object, String rawJson) {
        List<String> problems = new ArrayList<>();
        for (String path : ManifestValidator.unknownFields(object, this != STRICT)) {
            problems.add("unknown field \"" + path + "\"");
        }
        if (rawJson != null) {
            for (String path : duplicateFields(rawJson)) {
                problems.add("duplicate field \"" + path + "\"");
            }
        }
        if (problems.isEmpty() || this == IGNORE) {
            return List.of();
        }
        if (this == STRICT) {
            String version = kind.apiVersion().substring(kind.apiVersion().indexOf('/') + 1);
            throw ApiException.badRequest(kind.kind() + " in version \"" + version + "\" cannot be handled as a " + kind.kind()
                    + ": strict decoding error: " + String.join(", ", problems));
        }
        return problems;
    }

    /** A {@code Warning} header's value for one warning (RFC 7234: code 299, no agent, quoted text). */
    static String warningHeader(String text) {
        return "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The paths of the keys a JSON document names twice in one object ({@code spec.replicas},
     * {@code spec.template.spec.containers[0].name}); empty when it is not JSON or names none twice.
     */
    static List<String> duplicateFields(String json) {
        String trimmed = json.stripLeading();
        if (!trimmed.startsWith("{")) {
            return List.of();
        }
        List<String> duplicates = new ArrayList<>();
        Deque<Frame> frames = new ArrayDeque<>();
        try (JsonParser p = JSON.createParser(trimmed)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT -> frames.push(new Frame(childPath(frames), true));
                    case START_ARRAY -> frames.push(new Frame(childPath(frames), false));
                    case END_OBJECT, END_ARRAY -> {
                        frames.pop();
                        advance(frames);
                    }
                    case FIELD_NAME -> {
                        Frame f = frames.peek();
                        f.field = p.currentName();
                        if (!f.keys.add(f.field)) {
                            duplicates.add(f.path.isEmpty() ? f.field : f.path + "." + f.field);
                        }
                    }
                    default -> advance(frames);
                }
            }
        } catch (IOException e) {
            return duplicates; // not JSON after all: the decoder has already said so, or read it as YAML
        }
        return duplicates;
    }

    /** One open object or array while scanning: its path, the keys seen (objects) or the next index (arrays). */
    private static final class Frame {
        final String path;
        final boolean object;
        final Set<String> keys = new HashSet<>();
        String field;
        int index;

        Frame(String path, boolean object) {
            this.path = path;
            this.object = object;
        }
    }

    private static String childPath(Deque<Frame> frames) {
        Frame parent = frames.peek();
        if (parent == null) {
            return "";
        }
        if (!parent.object) {
            return parent.path + "[" + parent.index + "]";
        }
        return parent.path.isEmpty() ? parent.field : parent.path + "." + parent.field;
    }

    /** A value ended: an array's next element has the next index. */
    private static void advance(Deque<Frame> frames) {
        Frame parent = frames.peek();
        if (parent != null && !parent.object) {
            parent.index++;
        }
    }
}
