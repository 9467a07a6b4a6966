package dev.berth.platform.engine;

/** What apply did to one object, in kubectl's words: created, configured or unchanged. */
public record ApplyResult(String kind, String namespace, String name, Action action, String resourceVersion) {

    public enum Action {
        CREATED,
        CONFIGURED,
        UNCHANGED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code deployment.apps/order-service configured}, as kubectl prints it. */
    public String line() {
        return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name + " " + action.word();
    }
}
