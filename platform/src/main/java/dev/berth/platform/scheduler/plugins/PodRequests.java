package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;

/** The pod's requests as the resource plugins read them, computed once per cycle and shared through the {@link CycleState}. */
record PodRequests(Resources requests, Resources nonZero) {

    private static final CycleState.Key<PodRequests> KEY = CycleState.Key.of("PodRequests");

    static PodRequests of(CycleState state, PodInfo pod) {
        PodRequests requests = state.read(KEY);
        if (requests == null) {
            requests = new PodRequests(pod.requests(), pod.nonZeroRequests());
            state.write(KEY, requests);
        }
        return requests;
    }
}
