package dev.berth.platform.apiserver;

import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.WatchEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The recent changes of every object, so a watch can start from a resourceVersion a list returned (as kube-apiserver's
 * watch cache does): the last {@code capacity} store events, in resourceVersion order. A watch from a version older
 * than what the cache still holds — or from before this core started, whose changes it never saw — is refused with
 * {@code 410 Expired}, and the client lists again. Thread-safe; listeners run on the store's dispatcher thread and
 * must not block.
 */
public final class WatchCache implements AutoCloseable {

    private final int capacity;
    private final Deque<WatchEvent> recent = new ArrayDeque<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final AutoCloseable subscription;
    /** Every change after this version is in {@link #recent} or still to come. */
    private long floor;
    private long newest;

    public WatchCache(ObjectStore store, int capacity) {
        this.capacity = capacity;
        synchronized (this) {
            // subscribed first, then the floor read: a change committed in between is delivered (and kept if above it)
            this.subscription = store.watch(k -> true, this::onEvent);
            this.floor = store.revision();
            this.newest = floor;
        }
    }

    private synchronized void onEvent(WatchEvent e) {
        if (e.resourceVersion() <= floor) {
            return; // committed before this cache started: a watcher from here on never asks for it
        }
        if (recent.size() == capacity) {
            floor = recent.removeFirst().resourceVersion();
        }
        recent.addLast(e);
        newest = Math.max(newest, e.resourceVersion());
        for (Watcher w : List.copyOf(watchers)) {
            w.offer(e);
        }
    }

    /**
     * Starts delivering, to {@code sink}, every change that {@code filter} accepts with a resourceVersion above
     * {@code fromVersion}: first the ones already cached, then each as it happens, in order and each once.
     *
     * @throws ApiException 410 when changes after {@code fromVersion} are no longer known
     */
    public synchronized Registration watch(long fromVersion, Predicate<WatchEvent> filter, Consumer<WatchEvent> sink) {
        if (fromVersion < floor) {
            throw ApiException.expired("too old resource version: " + fromVersion + " (" + floor + ")");
        }
        Watcher w = new Watcher(fromVersion, filter, sink);
        for (WatchEvent e : recent) {
            w.offer(e);
        }
        watchers.add(w);
        return new Registration(w);
    }

    /** The newest resourceVersion every registered watcher has been offered (what a bookmark may carry). */
    public synchronized long newest() {
        return newest;
    }

    private synchronized void remove(Watcher w) {
        watchers.remove(w);
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }

    private static final class Watcher {
        private final long from;
        private final Predicate<WatchEvent> filter;
        private final Consumer<WatchEvent> sink;

        Watcher(long from, Predicate<WatchEvent> filter, Consumer<WatchEvent> sink) {
            this.from = from;
            this.filter = filter;
            this.sink = sink;
        }

        void offer(WatchEvent e) {
            if (e.resourceVersion() > from && filter.test(e)) {
                sink.accept(e);
            }
        }
    }

    /** A running watch; {@link #close()} stops delivery. Idempotent. */
    public final class Registration implements AutoCloseable {
        private final Watcher watcher;

        private Registration(Watcher watcher) {
            this.watcher = watcher;
        }

        @Override
        public void close() {
            remove(watcher);
        }
    }
}
