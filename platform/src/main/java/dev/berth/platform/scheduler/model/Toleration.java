package dev.berth.platform.scheduler.model;

import java.util.List;

/**
 * A pod's toleration of taints, with Kubernetes' semantics: an empty key with {@code Exists} tolerates
 * every taint; a {@code null} effect matches every effect; {@code Equal} compares the value.
 */
public record Toleration(String key, Operator operator, String value, TaintEffect effect) {

    public enum Operator { EQUAL, EXISTS }

    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null ? Operator.EQUAL : operator;
        value = value == null ? "" : value;
    }

    public static Toleration equal(String key, String value, TaintEffect effect) {
        return new Toleration(key, Operator.EQUAL, value, effect);
    }

    public static Toleration exists(String key, TaintEffect effect) {
        return new Toleration(key, Operator.EXISTS, "", effect);
    }

    /** Tolerates every taint (empty key, {@code Exists}, any effect). */
    public static Toleration everything() {
        return new Toleration("", Operator.EXISTS, "", null);
    }

    /** Kubernetes' {@code ToleratesTaint}. */
    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (!key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        return operator == Operator.EXISTS || value.equals(taint.value());
    }

    /** True if any of {@code tolerations} tolerates {@code taint}. */
    public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
        for (int i = 0; i < tolerations.size(); i++) {
            if (tolerations.get(i).tolerates(taint)) {
                return true;
            }
        }
        return false;
    }
}
