package dev.berth.platform.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a run's stages hand on to later stages and to the report. */
public final class RunState {

    /** An image the image stage built: {@code pushedBytes} is null when the registry cannot tell. */
    public record Image(String service, String reference, Long bytes, Long pushedBytes, boolean unchanged) {}

    /** A Deployment the deploy stage changed: revisions as in {@code deployment.kubernetes.io/revision} (0 = none before). */
    public record Deployed(String namespace, String deployment, long revision, long previousRevision, List<String> images) {}

    private final Path artifacts;
    private final List<Image> images = new ArrayList<>();
    private final List<Deployed> deployed = new ArrayList<>();
    private final List<String> rolledBack = new ArrayList<>();

    RunState(Path artifacts) {
        this.artifacts = artifacts;
    }

    public Path artifacts() {
        return artifacts;
    }

    public synchronized List<Image> images() {
        return List.copyOf(images);
    }

    public synchronized void image(Image image) {
        images.add(image);
    }

    public synchronized List<Deployed> deployed() {
        return List.copyOf(deployed);
    }

    public synchronized void deployed(Deployed d) {
        deployed.add(d);
    }

    public synchronized List<String> rolledBack() {
        return List.copyOf(rolledBack);
    }

    public synchronized void rolledBack(String what) {
        rolledBack.add(what);
    }
}
