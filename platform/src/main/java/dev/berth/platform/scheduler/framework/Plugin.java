package dev.berth.platform.scheduler.framework;

/** A scheduling plugin. Instances hold configuration only (no per-pod state) and are thread-safe. */
public interface Plugin {

    /** The unique name profiles and the registry refer to, e.g. {@code NodeResourcesFit}. */
    String name();
}
