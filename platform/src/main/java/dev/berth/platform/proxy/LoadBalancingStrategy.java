package dev.berth.platform.proxy;

import java.util.List;

/** How a Service picks the endpoint for a request; chosen per Service in {@link ServiceProxyConfig}. */
public enum LoadBalancingStrategy {

    /** Each endpoint in turn (the default, like kube-proxy's IPVS {@code rr}). */
    ROUND_ROBIN {
        @Override
        <U extends Upstream> Picker<U> newPicker(List<U> upstreams) {
            return new RoundRobinPicker<>(upstreams);
        }
    },

    /** The endpoint with the fewest in-flight requests; ties in turn (Envoy's {@code LEAST_REQUEST}). */
    LEAST_REQUESTS {
        @Override
        <U extends Upstream> Picker<U> newPicker(List<U> upstreams) {
            return new LeastRequestsPicker<>(upstreams);
        }
    };

    abstract <U extends Upstream> Picker<U> newPicker(List<U> upstreams);
}
