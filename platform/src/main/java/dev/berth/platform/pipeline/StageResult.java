package dev.berth.platform.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** How one stage ended. {@code log} is relative to the artifacts directory; null for a stage that did not run. */
public record StageResult(String name, String kind, Step.Status status, String summary, Instant started, Duration duration, String log,
        Map<String, String> outputs) {}
