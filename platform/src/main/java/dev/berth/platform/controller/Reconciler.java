package dev.berth.platform.controller;

import dev.berth.platform.model.ObjectKey;

/**
 * One controller's reconcile function: re-read desired and actual state for {@code key}, take at most one
 * step toward the desired state, return. Idempotent; called again and again for the same key.
 */
@FunctionalInterface
public interface Reconciler {

    ReconcileResult reconcile(ObjectKey key);
}
