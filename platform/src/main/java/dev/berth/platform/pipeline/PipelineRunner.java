package dev.berth.platform.pipeline;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a {@link PipelineDefinition}: the stages between {@code --from} and {@code --to} in order, each under its
 * timeout, with its log in {@code <artifacts>/logs/NN-stage.log}; the first failure ends the run. The report (JSON and
 * Markdown) is written whatever happens. The engine is only asked for (and so the core only started) when a stage
 * needs it.
 */
public final class PipelineRunner {

    /** What the user sees while the run goes on. */
    public interface Listener {
        void started(PipelineDefinition.Stage stage, int index, int total);

        /** The stage's latest line of progress (command output, a rollout's state). */
        void progress(PipelineDefinition.Stage stage, String line);

        void finished(StageResult result);
    }

    public record Options(String from, String to, String engine, Path root, Path artifacts, Map<String, String> environment) {}

    private final PipelineDefinition definition;
    private final Options options;
    private final Supplier<Engine> engine;
    private final Listener listener;

    public PipelineRunner(PipelineDefinition definition, Options options, Supplier<Engine> engine, Listener listener) {
        this.definition = definition;
        this.options = options;
        this.engine = memoize(engine);
        this.listener = listener;
    }

    public RunReport run() throws IOException {
        List<PipelineDefinition.Stage> selected = definition.between(options.from(), options.to());
        Path logs = options.artifacts().resolve("logs");
        Files.createDirectories(logs);
        // a stage's log from an earlier run goes when the stage runs again; the others stay (a run --to validate,
        // then --from deploy, keeps every stage's log)
        for (PipelineDefinition.Stage stage : selected) {
            Files.deleteIfExists(logs.resolve(logName(definition.stages().indexOf(stage) + 1, stage)));
        }
        Files.deleteIfExists(options.artifacts().resolve(RunReport.JSON_FILE));
        Files.deleteIfExists(options.artifacts().resolve(RunReport.MARKDOWN_FILE));

        Map<String, String> variables = new HashMap<>(options.environment());
        variables.put("engine", options.engine());
        RunState state = new RunState(options.artifacts());
        Instant started = Instant.now();
        List<StageResult> results = new ArrayList<>();
        boolean failed = false;
        int index = 0;
        for (PipelineDefinition.Stage stage : definition.stages()) {
            index++;
            if (!selected.contains(stage)) {
                String why = definition.stages().indexOf(stage) < definition.stages().indexOf(selected.get(0))
                        ? "before --from " + options.from() : "after --to " + options.to();
                results.add(new StageResult(stage.name(), stage.kind(), Step.Status.NOT_RUN, why, null, Duration.ZERO, null, Map.of()));
                continue;
            }
            if (failed) {
                results.add(new StageResult(stage.name(), stage.kind(), Step.Status.NOT_RUN, "an earlier stage failed", null, Duration.ZERO, null, Map.of()));
                continue;
            }
            listener.started(stage, selected.indexOf(stage) + 1, selected.size());
            StageResult r = runStage(stage, index, variables, state, logs);
            results.add(r);
            listener.finished(r);
            failed = r.status() == Step.Status.FAILED;
        }
        RunReport report = RunReport.of(options, started, Instant.now(), results, state, Git.describe(options.root()));
        report.write(options.artifacts());
        return report;
    }

    private StageResult runStage(PipelineDefinition.Stage stage, int index, Map<String, String> variables, RunState state, Path logs) {
        Instant start = Instant.now();
        String where = "stage \"" + stage.name() + "\"";
        String skip = stage.when().skipReason(options.engine(), options.environment());
        if (skip != null) {
            return new StageResult(stage.name(), stage.kind(), Step.Status.SKIPPED, "when: " + skip, start, Duration.ZERO, null, Map.of());
        }
        Path logFile = logs.resolve(logName(index, stage));
        String log = options.artifacts().relativize(logFile).toString();
        Map<String, String> outputs = new LinkedHashMap<>();
        try (OutputStream file = Files.newOutputStream(logFile); PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            out.println("# stage " + stage.name() + " (" + stage.kind() + ") started " + start);
            Map<String, String> with = expandAll(stage.with(), variables, where + " with");
            Map<String, Path> inputs = paths(expandAll(stage.inputs(), variables, where + " inputs"));
            Map<String, Path> outs = paths(expandAll(stage.outputs(), variables, where + " outputs"));
            outs.forEach((k, p) -> outputs.put(k, options.root().relativize(p).toString()));
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (!Files.exists(in.getValue())) {
                    return finish(stage, Step.Status.FAILED, "input " + in.getKey() + " (" + options.root().relativize(in.getValue())
                            + ") does not exist: run the stage that makes it first", start, log, outputs, out);
                }
            }
            StageContext context = new StageContext(options.root(), stage, with, inputs, outs, out, state, engine, options.engine(), variables,
                    line -> listener.progress(stage, line));
            Step.Outcome outcome = execute(Steps.forStage(stage), context, stage.timeout(), out);
            if (outcome.status() == Step.Status.SUCCEEDED) {
                for (Map.Entry<String, Path> o : outs.entrySet()) {
                    if (!Files.exists(o.getValue())) {
                        return finish(stage, Step.Status.FAILED, "did not write its output " + o.getKey() + " (" + outputs.get(o.getKey()) + ")",
                                start, log, outputs, out);
                    }
                }
            }
            return finish(stage, outcome.status(), outcome.summary(), start, log, outputs, out);
        } catch (StepFailedException | PipelineException | EngineException e) {
            return finishQuietly(stage, e.getMessage(), start, log, outputs, logFile);
        } catch (IOException | RuntimeException e) {
            return finishQuietly(stage, e.toString(), start, log, outputs, logFile);
        }
    }

    private static String logName(int index, PipelineDefinition.Stage stage) {
        return String.format("%02d-%s.log", index, stage.name());
    }

    private Step.Outcome execute(Step step, StageContext context, Duration timeout, PrintStream out) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pipeline-" + context.stage().name());
            t.setDaemon(true);
            return t;
        });
        Future<Step.Outcome> future = executor.submit(() -> step.run(context));
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true); // interrupts the step: a running command is stopped with everything it started
            executor.shutdown();
            try {
                executor.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw new StepFailedException("timed out after " + Durations.human(timeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StepFailedException || cause instanceof PipelineException || cause instanceof EngineException) {
                throw (RuntimeException) cause;
            }
            cause.printStackTrace(out);
            throw new StepFailedException(cause.toString());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted");
        } finally {
            executor.shutdownNow();
        }
    }

    private static StageResult finish(PipelineDefinition.Stage stage, Step.Status status, String summary, Instant start, String log,
            Map<String, String> outputs, PrintStream out) {
        Duration took = Duration.between(start, Instant.now());
        out.println("# " + status.word() + " after " + Durations.human(took) + ": " + summary);
        return new StageResult(stage.name(), stage.kind(), status, summary, start, took, log, Map.copyOf(outputs));
    }

    /** A failure thrown past the stage's log stream: appended to the log file on its own. */
    private static StageResult finishQuietly(PipelineDefinition.Stage stage, String message, Instant start, String log, Map<String, String> outputs,
            Path logFile) {
        Duration took = Duration.between(start, Instant.now());
        try {
            Files.writeString(logFile, "# failed after " + Durations.human(took) + ": " + message + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            message = message + " (and the log could not be written: " + e.getMessage() + ")";
        }
        return new StageResult(stage.name(), stage.kind(), Step.Status.FAILED, message, start, took, log, Map.copyOf(outputs));
    }

    private static Map<String, String> expandAll(Map<String, String> values, Map<String, String> variables, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, PipelineDefinition.expand(v, variables, where + "." + k)));
        return out;
    }

    private Map<String, Path> paths(Map<String, String> values) {
        Map<String, Path> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, options.root().resolve(v).normalize()));
        return out;
    }

    private static Supplier<Engine> memoize(Supplier<Engine> supplier) {
        return new Supplier<>() {
            private Engine engine;

            @Override
            public synchronized Engine get() {
                if (engine == null) {
                    engine = supplier.get();
                }
                return engine;
            }
        };
    }
}
