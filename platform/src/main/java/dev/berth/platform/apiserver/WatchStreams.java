package dev.berth.platform.apiserver;

import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * {@code watch=true}: a chunked stream of {@code {"type":…,"object":…}} lines, as kube-apiserver streams them. Without a
 * resourceVersion (or with "0") it starts with an ADDED event per existing object; from a resourceVersion it sends
 * every change after it, or one ERROR event holding a 410 Status when that version is too old. BOOKMARK events when
 * asked ({@code allowWatchBookmarks}), the stream ends after {@code timeoutSeconds} (default 30 minutes), when the client
 * leaves, or when the client reads too slowly to keep up (it resumes from its last version). Each watch takes an
 * {@link OpenStreams} slot until it ends. Thread-safe.
 */
final class WatchStreams {

    static final long DEFAULT_TIMEOUT_SECONDS = 1800;
    static final long BOOKMARK_INTERVAL_MS = 10_000;

    private final ResourceStorage storage;
    private final WatchCache cache;
    private final KubernetesSerialization json;
    private final OpenStreams streams;
    private final Vertx vertx;

    WatchStreams(ResourceStorage storage, WatchCache cache, KubernetesSerialization json, OpenStreams streams, Vertx vertx) {
        this.storage = storage;
        this.cache = cache;
        this.json = json;
        this.streams = streams;
        this.vertx = vertx;
    }

    /** What a watch event carries for an object: the object, or a one-row Table of it. */
    @FunctionalInterface
    interface Encoding {
        /** The object as it is: an event then carries the JSON the store already encoded. */
        Encoding AS_IS = (o, first) -> o;

        Object encode(HasMetadata object, boolean first);
    }

    /**
     * Starts a watch; its events go to {@code sink} until it ends.
     *
     * @throws ApiException for a bad request (before anything was written), 429 beyond the stream caps
     */
    void watch(WatchSink sink, Caller caller, RequestInfo info, ResourceKind kind, MultiMap query, Encoding encoding) {
        FieldSelector fields = FieldSelector.parse(kind, query.get("fieldSelector"));
        LabelSelector labels = ResourceStorage.labels(query.get("labelSelector"));
        long timeout = number(query, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS);
        String version = query.get("resourceVersion");
        Long from = version == null || version.isEmpty() || version.equals("0") ? null : number(query, "resourceVersion", 0);
        String namespace = info.namespace();
        Predicate<WatchEvent> filter = e -> e.key().kind() == kind && (namespace.isEmpty() || namespace.equals(e.key().namespace()))
                && Labels.matches(labels, e.object().getMetadata().getLabels()) && fields.matches(e.object());

        OpenStreams.Slot slot = streams.open(OpenStreams.Stream.WATCH, caller.name());
        Stream stream = new Stream(sink, slot, kind, encoding);
        sink.onClose(stream::close);
        try {
            long start;
            if (from == null) {
                ResourceStorage.Page existing = storage.list(kind, namespace, query.get("labelSelector"), fields, 0, null);
                for (HasMetadata o : existing.items()) {
                    stream.send("ADDED", o);
                }
                start = existing.resourceVersion();
            } else {
                start = from;
            }
            stream.registration = cache.watch(start, filter, stream);
            if (stream.closed.get()) {
                stream.registration.close(); // the client left while it registered: close() found nothing to close
            }
            sink.started();
        } catch (ApiException e) {
            if (e.code() == 410) {
                stream.send("ERROR", e.status()); // as kube-apiserver: the watch opens, then says why it ends
            }
            stream.close();
            if (e.code() == 410) {
                return;
            }
            throw e;
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        stream.timeout = vertx.setTimer(Math.max(1, timeout) * 1000, id -> stream.close());
        if ("true".equals(query.get("allowWatchBookmarks"))) {
            WatchCache.Registration registration = stream.registration;
            stream.bookmarks = vertx.setPeriodic(BOOKMARK_INTERVAL_MS, id -> registration.bookmark());
        }
    }

    private static long number(MultiMap query, String name, long otherwise) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": invalid value \"" + value + "\": must be an integer");
        }
    }

    /** One open watch's response and resources, released once. */
    private final class Stream implements WatchCache.Listener {
        private final WatchSink sink;
        private final OpenStreams.Slot slot;
        private final ResourceKind kind;
        private final AtomicBoolean closed = new AtomicBoolean();
        volatile WatchCache.Registration registration;
        volatile long timeout = -1;
        volatile long bookmarks = -1;

        private final Encoding encoding;
        private boolean first = true;

        Stream(WatchSink sink, OpenStreams.Slot slot, ResourceKind kind, Encoding encoding) {
            this.encoding = encoding;
            this.sink = sink;
            this.slot = slot;
            this.kind = kind;
        }

        /** An object not from the cache (the initial list, a 410's Status): encoded for this watch alone. */
        synchronized void send(String type, Object object) {
            if (closed.get()) {
                return;
            }
            Object body = object instanceof HasMetadata o ? encoding.encode(o, first) : object;
            first = false;
            sink.write(line(type, json.asJson(body)));
        }

        @Override
        public synchronized void change(WatchCache.Change change) {
            if (closed.get()) {
                return;
            }
            if (encoding == Encoding.AS_IS) {
                sink.write(change.line()); // one encoding per change, whatever the number of watchers
            } else {
                sink.write(line(change.event().type().name(), json.asJson(encoding.encode(change.event().object(), first))));
            }
            first = false;
        }

        @Override
        public synchronized void bookmark(long version) {
            if (!closed.get()) {
                sink.write(line("BOOKMARK", json.asJson(java.util.Map.of("kind", kind.kind(), "apiVersion", kind.apiVersion(),
                        "metadata", java.util.Map.of("resourceVersion", Long.toString(version))))));
            }
        }

        private static Buffer line(String type, String object) {
            return Buffer.buffer("{\"type\":\"" + type + "\",\"object\":" + object + "}");
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (registration != null) {
                registration.close();
            }
            if (timeout >= 0) {
                vertx.cancelTimer(timeout);
            }
            if (bookmarks >= 0) {
                vertx.cancelTimer(bookmarks);
            }
            slot.close();
            sink.end();
        }
    }
}
