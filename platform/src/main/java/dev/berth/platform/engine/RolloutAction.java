package dev.berth.platform.engine;

/** The {@code kubectl rollout} verbs that change a Deployment; status and history are read from objects. */
public sealed interface RolloutAction {

    /** Stop starting rollouts (spec.paused). */
    record Pause() implements RolloutAction {}

    record Resume() implements RolloutAction {}

    /** New pods for the same template: stamps {@code kubectl.kubernetes.io/restartedAt} on the pod template. */
    record Restart() implements RolloutAction {}

    /** Back to revision {@code toRevision}, or with 0 to the previous one. */
    record Undo(long toRevision) implements RolloutAction {}
}
