package dev.berth.platform.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ci/pipeline.yaml}: the stages every change goes through, in order. A stage either runs a command
 * ({@code run}, bash from the repository root) or one of the core's built-in steps ({@code step}, see
 * {@link Steps}); it may name {@code inputs} (paths that must exist before it runs), {@code outputs} (paths it must
 * leave behind), a {@code timeout} and a {@code when} condition. Strings may use {@code ${VAR}} and
 * {@code ${VAR:-default}} from the environment and {@code ${engine}}; they are expanded when the stage runs.
 *
 * <p>Parsing checks everything it can before anything runs: unknown keys, a missing or doubled {@code run}/{@code step},
 * an unknown step, a duplicate stage name, a malformed timeout — each reported with the stage it is in.
 */
public record PipelineDefinition(List<Stage> stages) {

    /** The stage names a pipeline must follow, in this order (a definition may leave some out, not reorder them). */
    public static final List<String> ORDER = List.of("build", "test", "image", "manifests", "validate", "deploy", "verify");

    public record Stage(String name, String description, String run, String step, Duration timeout, When when,
            Map<String, String> inputs, Map<String, String> outputs, Map<String, String> with) {

        public String kind() {
            return run != null ? "run" : "step " + step;
        }
    }

    /**
     * A stage runs only when every condition given holds: {@code engine} is the run's engine, {@code env} is set and
     * not empty, {@code unless-env} is unset or empty.
     */
    public record When(String engine, String env, String unlessEnv) {
        static final When ALWAYS = new When(null, null, null);

        /** @return null when the stage runs, else why not */
        public String skipReason(String runEngine, Map<String, String> environment) {
            if (engine != null && !engine.equals(runEngine)) {
                return "only with --engine " + engine;
            }
            if (env != null && environment.getOrDefault(env, "").isEmpty()) {
                return env + " is not set";
            }
            if (unlessEnv != null && !environment.getOrDefault(unlessEnv, "").isEmpty()) {
                return unlessEnv + " is set";
            }
            return null;
        }
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    private static final Set<String> STAGE_KEYS = Set.of("name", "description", "run", "step", "timeout", "when", "inputs", "outputs", "with");
    private static final Set<String> WHEN_KEYS = Set.of("engine", "env", "unless-env");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(:-([^}]*))?}");

    /** @throws PipelineException naming the stage and field at fault */
    public static PipelineDefinition parse(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new PipelineException("not YAML: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new PipelineException("expected a mapping with \"stages\"");
        }
        unknownKeys(root, Set.of("version", "stages"), "the pipeline");
        if (root.has("version") && root.get("version").asInt() != 1) {
            throw new PipelineException("version " + root.get("version").asText() + " is not supported (1 is)");
        }
        JsonNode list = root.path("stages");
        if (!list.isArray() || list.isEmpty()) {
            throw new PipelineException("\"stages\" must be a non-empty list");
        }
        List<Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int lastOrder = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String where = "stages[" + i + "]";
            if (!s.isObject()) {
                throw new PipelineException(where + ": expected a mapping");
            }
            String name = text(s, "name", where);
            if (name == null) {
                throw new PipelineException(where + ": \"name\" is required");
            }
            where = "stage \"" + name + "\"";
            unknownKeys(s, STAGE_KEYS, where);
            if (!names.add(name)) {
                throw new PipelineException(where + ": the name is used twice");
            }
            int order = ORDER.indexOf(name);
            if (order < 0) {
                throw new PipelineException(where + ": not a stage Berth knows; the stages are " + String.join(", ", ORDER));
            }
            if (order < lastOrder) {
                throw new PipelineException(where + ": out of order; the stages run " + String.join(" → ", ORDER));
            }
            lastOrder = order;
            String run = text(s, "run", where);
            String step = text(s, "step", where);
            if ((run == null) == (step == null)) {
                throw new PipelineException(where + ": give exactly one of \"run\" (a command) or \"step\" (" + String.join(", ", Steps.NAMES) + ")");
            }
            if (step != null && !Steps.NAMES.contains(step)) {
                throw new PipelineException(where + ": unknown step \"" + step + "\"; the built-in steps are " + String.join(", ", Steps.NAMES));
            }
            Duration timeout = s.has("timeout") ? duration(s.get("timeout").asText(), where) : DEFAULT_TIMEOUT;
            When when = When.ALWAYS;
            if (s.has("when")) {
                JsonNode w = s.get("when");
                if (!w.isObject()) {
                    throw new PipelineException(where + ": \"when\" must be a mapping of " + String.join(", ", WHEN_KEYS));
                }
                unknownKeys(w, WHEN_KEYS, where + " when");
                String engine = text(w, "engine", where + " when");
                if (engine != null && !engine.equals("local") && !engine.equals("kubernetes")) {
                    throw new PipelineException(where + ": when.engine must be local or kubernetes, not \"" + engine + "\"");
                }
                when = new When(engine, text(w, "env", where + " when"), text(w, "unless-env", where + " when"));
            }
            stages.add(new Stage(name, text(s, "description", where), run, step, timeout, when,
                    strings(s, "inputs", where), strings(s, "outputs", where), strings(s, "with", where)));
        }
        return new PipelineDefinition(List.copyOf(stages));
    }

    /** The stages from {@code from} to {@code to} (inclusive; null for the first/last). */
    public List<Stage> between(String from, String to) {
        int a = from == null ? 0 : index(from, "--from");
        int b = to == null ? stages.size() - 1 : index(to, "--to");
        if (a > b) {
            throw new PipelineException("--from " + from + " comes after --to " + to);
        }
        return stages.subList(a, b + 1);
    }

    private int index(String name, String option) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new PipelineException(option + " " + name + ": no such stage; this pipeline has "
                + String.join(", ", stages.stream().map(Stage::name).toList()));
    }

    /**
     * Expands {@code ${VAR}} and {@code ${VAR:-default}}.
     *
     * @throws PipelineException for a variable that is unset and has no default
     */
    public static String expand(String value, Map<String, String> variables, String where) {
        if (value == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = variables.get(m.group(1));
            if (v == null || (v.isEmpty() && m.group(2) != null)) {
                if (m.group(2) == null) {
                    throw new PipelineException(where + ": ${" + m.group(1) + "} is not set (give it a default: ${" + m.group(1) + ":-…})");
                }
                v = expand(m.group(3), variables, where);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Duration duration(String text, String where) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new PipelineException(where + ": timeout \"" + text + "\" is not a positive duration like 90s, 15m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new PipelineException(where + ": unknown key \"" + key + "\" (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new PipelineException(where + ": \"" + key + "\" must be a string");
        }
        return v.asText();
    }

    private static Map<String, String> strings(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new PipelineException(where + ": \"" + key + "\" must be a mapping of names to strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new PipelineException(where + ": " + key + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Map.copyOf(out);
    }
}
