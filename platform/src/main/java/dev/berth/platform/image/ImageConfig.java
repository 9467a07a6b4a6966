package dev.berth.platform.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an OCI image configuration a runtime needs. Immutable. */
public record ImageConfig(List<String> entrypoint, List<String> cmd, Map<String, String> env, String workingDir, String user,
        List<Integer> exposedPorts, Map<String, String> labels) {

    /** Reads the {@code config} section of an OCI/Docker image configuration document. */
    static ImageConfig parse(JsonNode document) {
        JsonNode c = document.path("config");
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : strings(c.path("Env"))) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        List<Integer> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(p -> {
            String number = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
            try {
                ports.add(Integer.parseInt(number));
            } catch (NumberFormatException ignoredNonNumeric) {
                // a port range or a typo in the image; not a port the runtime can map
            }
        });
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        return new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), env,
                c.path("WorkingDir").asText(""), c.path("User").asText(""), ports, labels);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
