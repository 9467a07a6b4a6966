package dev.berth.platform.engine;

/**
 * What an operator does to a node. {@code FAIL} simulates the machine dying: every replica on it is killed at
 * once and the node goes NotReady; {@code RECOVER} brings it back.
 */
public enum NodeAction {
    CORDON,
    UNCORDON,
    DRAIN,
    FAIL,
    RECOVER
}
