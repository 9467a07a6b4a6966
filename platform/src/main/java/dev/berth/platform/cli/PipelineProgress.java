package dev.berth.platform.cli;

import dev.berth.platform.pipeline.PipelineDefinition;
import dev.berth.platform.pipeline.PipelineRunner;
import dev.berth.platform.pipeline.RunReport;
import dev.berth.platform.pipeline.StageResult;
import dev.berth.platform.pipeline.Step;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code berth pipeline run}'s display: on a terminal one live line for the running stage (spinner, [n/m], elapsed
 * time, its latest output); elsewhere (CI logs) a line when a stage starts, its progress at most every 10 s, and a
 * line when it ends. A summary table at the end.
 */
final class PipelineProgress implements PipelineRunner.Listener, AutoCloseable {

    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final boolean TTY = System.console() != null;

    private final PrintWriter out;
    private final ScheduledExecutorService ticker;
    private volatile PipelineDefinition.Stage current;
    private volatile String position = "";
    private volatile String latest = "";
    private volatile Instant since = Instant.now();
    private volatile long lastPrinted;
    private int frame;

    PipelineProgress(PrintWriter out) {
        this.out = out;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pipeline-progress");
            t.setDaemon(true);
            return t;
        });
        if (TTY) {
            ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    void header(String engine, Path root, String from, String to) {
        out.println("berth pipeline: engine " + engine + ", " + root + (from == null ? "" : ", from " + from) + (to == null ? "" : ", to " + to));
        out.flush();
    }

    @Override
    public void started(PipelineDefinition.Stage stage, int index, int total) {
        current = stage;
        position = "[" + index + "/" + total + "]";
        latest = stage.description() == null ? stage.kind() : stage.description();
        since = Instant.now();
        lastPrinted = System.nanoTime();
        if (!TTY) {
            out.println("  " + position + " " + stage.name() + ": " + latest);
            out.flush();
        }
    }

    @Override
    public void progress(PipelineDefinition.Stage stage, String line) {
        latest = line;
        if (!TTY && System.nanoTime() - lastPrinted > TimeUnit.SECONDS.toNanos(10)) {
            lastPrinted = System.nanoTime();
            out.println("        … " + stage.name() + " " + seconds() + " s: " + clip(line, 160));
            out.flush();
        }
    }

    @Override
    public synchronized void finished(StageResult result) {
        current = null;
        if (TTY) {
            out.print("\r\033[K");
        }
        String mark = switch (result.status()) {
            case SUCCEEDED -> "✓";
            case SKIPPED -> "↷";
            case FAILED -> "✗";
            case NOT_RUN -> " ";
        };
        out.println("  " + mark + " " + pad(result.name(), 9) + " " + pad(result.status().word(), 9) + " " + pad(human(result.duration()), 9) + " "
                + clip(result.summary(), 200));
        out.flush();
    }

    private synchronized void redraw() {
        PipelineDefinition.Stage stage = current;
        if (stage == null) {
            return;
        }
        out.print("\r\033[K  " + SPINNER.charAt(frame++ % SPINNER.length()) + " " + position + " " + stage.name() + " " + seconds() + " s  "
                + clip(latest, 100));
        out.flush();
    }

    void summary(RunReport report, Path artifacts) {
        out.println();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("STAGE", "RESULT", "TIME", "SUMMARY"));
        for (StageResult r : report.stages()) {
            rows.add(List.of(r.name(), r.status().word(), r.status() == Step.Status.NOT_RUN ? "-" : human(r.duration()), clip(r.summary(), 120)));
        }
        out.print(Tables.format(rows));
        out.println();
        report.images().forEach(i -> out.println("  image     " + i.reference() + (i.unchanged() ? " (unchanged)" : "")
                + (i.pushedBytes() == null ? "" : ", " + i.pushedBytes() + " bytes pushed")));
        report.deployed().forEach(d -> out.println("  deployed  " + d.namespace() + "/" + d.deployment() + " revision " + d.revision()));
        report.rolledBack().forEach(r -> out.println("  rollback  " + r));
        out.println((report.succeeded() ? "pipeline succeeded" : "pipeline FAILED at " + report.failedStage()) + " in "
                + human(Duration.between(report.started(), report.finished())) + "; report: " + artifacts.resolve(RunReport.MARKDOWN_FILE)
                + ", logs: " + artifacts.resolve("logs"));
        out.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    private long seconds() {
        return Duration.between(since, Instant.now()).toSeconds();
    }

    private static String human(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
