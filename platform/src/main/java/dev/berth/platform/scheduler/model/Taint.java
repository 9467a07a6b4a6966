package dev.berth.platform.scheduler.model;

import java.util.Objects;

/** A node taint: pods that do not tolerate it are kept off (NoSchedule, NoExecute) or steered away (PreferNoSchedule). */
public record Taint(String key, String value, TaintEffect effect) {

    /** The taint Kubernetes puts on cordoned nodes; tolerating it lets a pod onto an unschedulable node. */
    public static final Taint UNSCHEDULABLE = new Taint("node.kubernetes.io/unschedulable", "", TaintEffect.NO_SCHEDULE);
    /** The taint Kubernetes puts on nodes whose Ready condition is not True. */
    public static final Taint NOT_READY = new Taint("node.kubernetes.io/not-ready", "", TaintEffect.NO_SCHEDULE);

    public Taint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effect, "effect");
        value = value == null ? "" : value;
    }

    public static Taint of(String key, String value, TaintEffect effect) {
        return new Taint(key, value, effect);
    }
}
