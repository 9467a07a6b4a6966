package dev.berth.platform.pipeline;

import dev.berth.platform.engine.Engine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a step sees: the repository root, its stage's expanded {@code with}/{@code inputs}/{@code outputs}, its log
 * file, the run's shared state (what earlier stages built and deployed), the engine (started on first use) and a line
 * for live progress.
 */
public final class StageContext {

    private final Path root;
    private final PipelineDefinition.Stage stage;
    private final Map<String, String> with;
    private final Map<String, Path> inputs;
    private final Map<String, Path> outputs;
    private final PrintStream log;
    private final RunState state;
    private final Supplier<Engine> engine;
    private final String engineName;
    private final Map<String, String> environment;
    private final Consumer<String> status;

    StageContext(Path root, PipelineDefinition.Stage stage, Map<String, String> with, Map<String, Path> inputs, Map<String, Path> outputs,
            PrintStream log, RunState state, Supplier<Engine> engine, String engineName, Map<String, String> environment, Consumer<String> status) {
        this.root = root;
        this.stage = stage;
        this.with = with;
        this.inputs = inputs;
        this.outputs = outputs;
        this.log = log;
        this.state = state;
        this.engine = engine;
        this.engineName = engineName;
        this.environment = environment;
        this.status = status;
    }

    public Path root() {
        return root;
    }

    public PipelineDefinition.Stage stage() {
        return stage;
    }

    /** A {@code with} value, expanded; {@code fallback} when absent or empty. */
    public String with(String key, String fallback) {
        String v = with.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    public String required(String key) {
        String v = with(key, null);
        if (v == null) {
            throw new PipelineException("stage \"" + stage.name() + "\": with." + key + " is required");
        }
        return v;
    }

    /** An input path; the runner has already checked it exists. */
    public Path input(String key) {
        Path p = inputs.get(key);
        if (p == null) {
            throw new PipelineException("stage \"" + stage.name() + "\": inputs." + key + " is required");
        }
        return p;
    }

    public Path output(String key) {
        Path p = outputs.get(key);
        if (p == null) {
            throw new PipelineException("stage \"" + stage.name() + "\": outputs." + key + " is required");
        }
        return p;
    }

    public Path artifacts() {
        return state.artifacts();
    }

    public PrintStream log() {
        return log;
    }

    /** Writes a line to the stage's log and shows it as the stage's live progress. */
    public void say(String line) {
        log.println(line);
        status.accept(line);
    }

    /** Shows a line as live progress without logging it (command output is logged as it comes). */
    public void status(String line) {
        status.accept(line);
    }

    public RunState state() {
        return state;
    }

    public Engine engine() {
        return engine.get();
    }

    public String engineName() {
        return engineName;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** A path from {@code with}, relative to the repository root. */
    public Path path(String value) {
        Path p = Path.of(value);
        return p.isAbsolute() ? p : root.resolve(p).normalize();
    }

    static void ensureParent(Path p) throws java.io.IOException {
        if (p.toAbsolutePath().getParent() != null) {
            Files.createDirectories(p.toAbsolutePath().getParent());
        }
    }
}
