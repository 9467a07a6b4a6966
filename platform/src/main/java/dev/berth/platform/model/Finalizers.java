package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An object's deletion as Kubernetes marks it ({@code metadata.deletionTimestamp}) and holds it back
 * ({@code metadata.finalizers}): an object being deleted stays while a finalizer names work still to do, and goes when
 * the last is removed — {@code foregroundDeletion} is the garbage collector's, held until the dependents are gone.
 * Pure; the methods that change an object change the instance given.
 */
public final class Finalizers {

    /** The garbage collector's finalizer for {@code propagationPolicy=Foreground}. */
    public static final String FOREGROUND = "foregroundDeletion";

    private Finalizers() {}

    public static boolean deleting(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }

    public static boolean has(HasMetadata o, String finalizer) {
        List<String> f = o.getMetadata().getFinalizers();
        return f != null && f.contains(finalizer);
    }

    public static boolean any(HasMetadata o) {
        List<String> f = o.getMetadata().getFinalizers();
        return f != null && !f.isEmpty();
    }

    /** Marks {@code o} deleted now (with no grace period), unless it already is. */
    public static void markDeleting(HasMetadata o, Instant now) {
        if (!deleting(o)) {
            o.getMetadata().setDeletionTimestamp(now.truncatedTo(ChronoUnit.SECONDS).toString());
            o.getMetadata().setDeletionGracePeriodSeconds(0L);
        }
    }

    public static void add(HasMetadata o, String finalizer) {
        if (!has(o, finalizer)) {
            List<String> f = o.getMetadata().getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(o.getMetadata().getFinalizers());
            f.add(finalizer);
            o.getMetadata().setFinalizers(f);
        }
    }

    public static void remove(HasMetadata o, String finalizer) {
        if (has(o, finalizer)) {
            List<String> f = new ArrayList<>(o.getMetadata().getFinalizers());
            f.remove(finalizer);
            o.getMetadata().setFinalizers(f);
        }
    }

    /**
     * Whether an object is due to go: being deleted, with no grace period left to a kubelet and no finalizer
     * (upstream's {@code shouldDeleteDuringUpdate}).
     */
    public static boolean finalized(HasMetadata o) {
        Long grace = o.getMetadata().getDeletionGracePeriodSeconds();
        return deleting(o) && !any(o) && (grace == null || grace == 0);
    }
}
