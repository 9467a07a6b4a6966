package dev.berth.platform.controller;

import java.time.Duration;
import java.util.Optional;

/**
 * What one reconcile pass did: whether it changed anything, and whether the key must be looked at again after
 * a delay (e.g. a back-off or a deadline). Level-triggered: a pass that changed something is followed by
 * another, since the change itself produces a watch event.
 */
public record ReconcileResult(boolean changed, Optional<Duration> requeueAfter) {

    public static ReconcileResult noChange() {
        return new ReconcileResult(false, Optional.empty());
    }

    public static ReconcileResult changedState() {
        return new ReconcileResult(true, Optional.empty());
    }

    public static ReconcileResult requeueAfter(Duration delay) {
        return new ReconcileResult(false, Optional.of(delay));
    }

    public ReconcileResult andRequeueAfter(Duration delay) {
        return new ReconcileResult(changed, Optional.of(requeueAfter.map(d -> d.compareTo(delay) < 0 ? d : delay).orElse(delay)));
    }
}
