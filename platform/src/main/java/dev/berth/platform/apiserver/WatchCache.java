package dev.berth.platform.apiserver;

import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The recent changes of every object, so a watch can start from a resourceVersion a list returned (as kube-apiserver's
 * watch cache does): the last {@code capacity} store events, in resourceVersion order. A watch from a version older
 * than what the cache still holds — or from before this core started, whose changes it never saw — is refused with
 * {@code 410 Expired}, and the client lists again. Each change's watch-event line is encoded once and shared by every
 * watcher (see {@link Change#line()}). Thread-safe; listeners run under the cache's lock, on the store's dispatcher
 * thread or the caller's, and must not block.
 */
public final class WatchCache implements AutoCloseable {

    private final int capacity;
    private final KubernetesSerialization json;
    private final Deque<Change> recent = new ArrayDeque<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final AutoCloseable subscription;
    /** Every change after this version is in {@link #recent} or still to come. */
    private long floor;
    /** The newest resourceVersion every registered watcher has been offered (what a bookmark may carry). */
    private long newest;

    public WatchCache(ObjectStore store, int capacity, KubernetesSerialization json) {
        this.capacity = capacity;
        this.json = json;
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
            floor = recent.removeFirst().event().resourceVersion();
        }
        Change change = new Change(e);
        recent.addLast(change);
        newest = Math.max(newest, e.resourceVersion());
        for (Watcher w : List.copyOf(watchers)) {
            w.offer(change);
        }
    }

    /**
     * Starts delivering, to {@code listener}, every change that {@code filter} accepts with a resourceVersion above
     * {@code fromVersion}: first the ones already cached, then each as it happens, in order and each once.
     *
     * @throws ApiException 410 when changes after {@code fromVersion} are no longer known
     */
    public synchronized Registration watch(long fromVersion, Predicate<WatchEvent> filter, Listener listener) {
        if (fromVersion < floor) {
            throw ApiException.expired("too old resource version: " + fromVersion + " (" + floor + ")");
        }
        Watcher w = new Watcher(fromVersion, filter, listener);
        for (Change c : recent) {
            w.offer(c);
        }
        watchers.add(w);
        return new Registration(w);
    }

    private synchronized void remove(Watcher w) {
        watchers.remove(w);
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }

    /** What a watch receives, called under the cache's lock: in order, each change once, never concurrently. */
    public interface Listener {
        void change(Change change);

        /** Every change up to {@code resourceVersion} has been offered to this listener already. */
        void bookmark(long resourceVersion);
    }

    /** One store change and its watch-event line, encoded once for every watcher. Thread-safe. */
    public final class Change {
        private final WatchEvent event;
        private Buffer line;

        private Change(WatchEvent event) {
            this.event = event;
        }

        public WatchEvent event() {
            return event;
        }

        /**
         * {@code {"type":…,"object":…}} in UTF-8, without a line end: the JSON the store encoded, wrapped once on first
         * use. Shared: a caller must not change it.
         */
        public Buffer line() {
            synchronized (WatchCache.this) {
                if (line == null) {
                    String object = event.json() != null ? event.json() : json.asJson(event.object());
                    line = Buffer.buffer("{\"type\":\"" + event.type().name() + "\",\"object\":" + object + "}");
                }
                return line;
            }
        }
    }

    private static final class Watcher {
        private final long from;
        private final Predicate<WatchEvent> filter;
        private final Listener listener;

        Watcher(long from, Predicate<WatchEvent> filter, Listener listener) {
            this.from = from;
            this.filter = filter;
            this.listener = listener;
        }

        void offer(Change c) {
            if (c.event().resourceVersion() > from && filter.test(c.event())) {
                listener.change(c);
            }
        }
    }

    /** A running watch; {@link #close()} stops delivery. Idempotent. */
    public final class Registration implements AutoCloseable {
        private final Watcher watcher;

        private Registration(Watcher watcher) {
            this.watcher = watcher;
        }

        /**
         * Tells the listener the newest version, under the cache's lock: no change at or below it can reach the
         * listener after the bookmark, and none above it before.
         */
        public void bookmark() {
            synchronized (WatchCache.this) {
                if (watchers.contains(watcher)) {
                    watcher.listener.bookmark(newest);
                }
            }
        }

        @Override
        public void close() {
            remove(watcher);
        }
    }
}
