package dev.berth.platform.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a run did, for people ({@code report.md}, also a GitHub job summary) and for tools ({@code report.json}): the
 * verdict, every stage's status, duration and summary, the images built (digest, bytes pushed), the revisions deployed
 * and anything rolled back.
 */
public record RunReport(String verdict, String failedStage, String engine, String from, String to, Instant started, Instant finished,
        String commit, boolean dirty, List<StageResult> stages, List<RunState.Image> images, List<RunState.Deployed> deployed,
        List<String> rolledBack) {

    public static final String JSON_FILE = "report.json";
    public static final String MARKDOWN_FILE = "report.md";

    static RunReport of(PipelineRunner.Options options, Instant started, Instant finished, List<StageResult> stages, RunState state, Git git) {
        String failed = stages.stream().filter(s -> s.status() == Step.Status.FAILED).map(StageResult::name).findFirst().orElse(null);
        return new RunReport(failed == null ? "succeeded" : "failed", failed, options.engine(), options.from(), options.to(), started, finished,
                git == null ? null : git.commit(), git != null && git.dirty(), List.copyOf(stages), state.images(), state.deployed(), state.rolledBack());
    }

    public boolean succeeded() {
        return failedStage == null;
    }

    public StageResult stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        Files.writeString(dir.resolve(JSON_FILE), json.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(json)) + "\n");
        Files.writeString(dir.resolve(MARKDOWN_FILE), markdown());
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("verdict", verdict).put("failedStage", failedStage).put("engine", engine).put("from", from).put("to", to)
                .put("started", started.toString()).put("finished", finished.toString())
                .put("durationMs", Duration.between(started, finished).toMillis()).put("commit", commit).put("dirty", dirty);
        ArrayNode s = root.putArray("stages");
        for (StageResult r : stages) {
            ObjectNode n = s.addObject().put("name", r.name()).put("kind", r.kind()).put("status", r.status().name().toLowerCase(java.util.Locale.ROOT))
                    .put("summary", r.summary()).put("started", r.started() == null ? null : r.started().toString())
                    .put("durationMs", r.duration().toMillis()).put("log", r.log());
            ObjectNode outs = n.putObject("outputs");
            r.outputs().forEach(outs::put);
        }
        ArrayNode i = root.putArray("images");
        for (RunState.Image image : images) {
            i.addObject().put("service", image.service()).put("reference", image.reference()).put("bytes", image.bytes())
                    .put("pushedBytes", image.pushedBytes()).put("unchanged", image.unchanged());
        }
        ArrayNode d = root.putArray("deployed");
        for (RunState.Deployed dep : deployed) {
            ObjectNode n = d.addObject().put("namespace", dep.namespace()).put("deployment", dep.deployment()).put("revision", dep.revision())
                    .put("previousRevision", dep.previousRevision());
            dep.images().forEach(n.putArray("images")::add);
        }
        rolledBack.forEach(root.putArray("rolledBack")::add);
        return root;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Berth pipeline run: ").append(succeeded() ? "succeeded" : "FAILED at " + failedStage).append("\n\n");
        md.append("Engine `").append(engine).append("`, commit `").append(commit == null ? "unknown" : commit.substring(0, Math.min(12, commit.length())))
                .append(dirty ? " (with uncommitted changes)" : "").append("`, ").append(started).append(", ")
                .append(Durations.human(Duration.between(started, finished))).append(".\n\n");
        md.append("| stage | result | time | summary |\n|---|---|---|---|\n");
        for (StageResult r : stages) {
            md.append("| ").append(r.name()).append(" | ").append(r.status().word()).append(" | ")
                    .append(r.status() == Step.Status.NOT_RUN ? "" : Durations.human(r.duration())).append(" | ")
                    .append(cell(r.summary())).append(" |\n");
        }
        if (!images.isEmpty()) {
            md.append("\n## Images\n\n| service | image | size | pushed |\n|---|---|---|---|\n");
            for (RunState.Image i : images) {
                md.append("| ").append(i.service()).append(" | `").append(i.reference()).append("` | ")
                        .append(i.bytes() == null ? "" : Sizes.human(i.bytes())).append(" | ")
                        .append(i.pushedBytes() == null ? "unknown" : Sizes.human(i.pushedBytes())).append(i.unchanged() ? " (unchanged)" : "").append(" |\n");
            }
        }
        if (!deployed.isEmpty()) {
            md.append("\n## Deployed\n\n| deployment | revision | before |\n|---|---|---|\n");
            for (RunState.Deployed d : deployed) {
                md.append("| ").append(d.namespace()).append("/").append(d.deployment()).append(" | ").append(d.revision()).append(" | ")
                        .append(d.previousRevision() == 0 ? "new" : Long.toString(d.previousRevision())).append(" |\n");
            }
        }
        if (!rolledBack.isEmpty()) {
            md.append("\n## Rolled back\n\n");
            rolledBack.forEach(r -> md.append("- ").append(r).append("\n"));
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
