package dev.berth.platform.scheduler.framework;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one plugin call. {@code reasons} are user-facing ("Insufficient cpu") and end up in the
 * Pending replica's event; {@code plugin} names who decided. UNSCHEDULABLE means the node does not fit now,
 * UNSCHEDULABLE_AND_UNRESOLVABLE that evicting pods would not help either, ERROR that the plugin failed.
 */
public record Status(Code code, List<String> reasons, String plugin) {

    public enum Code { SUCCESS, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, ERROR }

    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "");

    public Status {
        Objects.requireNonNull(code, "code");
        reasons = List.copyOf(reasons);
        plugin = plugin == null ? "" : plugin;
    }

    /** The shared success value. */
    public static Status success() {
        return SUCCESS;
    }

    public static Status unschedulable(String plugin, String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons), plugin);
    }

    public static Status unresolvable(String plugin, String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), plugin);
    }

    public static Status error(String plugin, String reason) {
        return new Status(Code.ERROR, List.of(reason), plugin);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    /** Reasons joined with ", ", as kube-scheduler's {@code Status.Message()}. */
    public String message() {
        return String.join(", ", reasons);
    }
}
