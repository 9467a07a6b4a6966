package dev.berth.platform.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Two secondary schedulers ({@code scheduler-a}, {@code scheduler-b}) competing for one Lease, told apart once one leads. */
record ElectedPair(SecondaryScheduler leader, String leaderName, SimpleMeterRegistry leaderMeters,
                   SecondaryScheduler standby, String standbyName, SimpleMeterRegistry standbyMeters) {

    static ElectedPair of(SecondaryScheduler a, SimpleMeterRegistry metersA, SecondaryScheduler b, SimpleMeterRegistry metersB) {
        return a.isLeading() ? new ElectedPair(a, "scheduler-a", metersA, b, "scheduler-b", metersB)
                : new ElectedPair(b, "scheduler-b", metersB, a, "scheduler-a", metersA);
    }

    /** Pods bound by the one whose meters these are. */
    static double bound(SimpleMeterRegistry meters) {
        return meters.get("berth.scheduler.binds").tag("result", "bound").counter().count();
    }
}
