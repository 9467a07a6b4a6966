package dev.berth.platform.scheduler.model;

/** What a taint does to pods that do not tolerate it. */
public enum TaintEffect {
    NO_SCHEDULE("NoSchedule"),
    PREFER_NO_SCHEDULE("PreferNoSchedule"),
    NO_EXECUTE("NoExecute");

    private final String kubernetesName;

    TaintEffect(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    public String kubernetesName() {
        return kubernetesName;
    }

    /** Parses the Kubernetes spelling ({@code NoSchedule}); {@code null} or empty gives {@code null} (any effect). */
    public static TaintEffect fromKubernetes(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        for (TaintEffect effect : values()) {
            if (effect.kubernetesName.equals(name)) {
                return effect;
            }
        }
        throw new IllegalArgumentException("unknown taint effect: " + name);
    }
}
