package dev.berth.platform.proxy;

import java.util.Collection;

/**
 * Picks the upstream for one request (or connection) out of one fixed set of upstreams; a new set
 * gets a new picker (like gRPC's SubchannelPicker). Implementations are thread-safe and never block:
 * event loops call them concurrently.
 */
interface Picker<U extends Upstream> {

    /**
     * @param tried upstreams this request already tried (connect failed); never picked again
     * @return the upstream to try, or null when every upstream was tried or there are none
     */
    U pick(Collection<? extends Upstream> tried);

    static <U extends Upstream> Picker<U> none() {
        return tried -> null;
    }
}
