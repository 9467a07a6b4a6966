package dev.berth.platform.store;

import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Desired and observed state — the core's etcd. Every object is a fabric8 Kubernetes object with a
 * {@code resourceVersion} from one store-wide counter that never goes back, across restarts too (see
 * {@link ResourceVersions}); every change is on disk (see {@link ObjectFiles}) before it is acknowledged, so a
 * restarted core recovers everything, and a file it cannot load is set aside rather than stopping it.
 *
 * <p>Thread-safe: writes are serialised by one lock; reads never block. Callers always get private copies.
 * Watchers receive every change in resourceVersion order on one dispatcher thread and must not block.
 * Events ({@code v1/Event}) are bounded: the oldest are dropped beyond {@code maxEvents}.
 */
public final class ObjectStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);

    private final ObjectFiles files;
    private final KubernetesSerialization json;
    private final Clock clock;
    private final int maxEvents;
    /** Per kind, sorted by key as lists answer; each object with the JSON it was written as. */
    private final Map<ResourceKind, ConcurrentSkipListMap<ObjectKey, Stored>> objects = new EnumMap<>(ResourceKind.class);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Deque<ObjectKey> events = new ArrayDeque<>();
    private final List<Subscription> watchers = new CopyOnWriteArrayList<>();
    /**
     * Committed changes in resourceVersion order, for the dispatcher. The listeners' copy of each object is made there,
     * not by the writer: a copy is a JSON parse, and the writer holds the write lock every other writer waits on.
     */
    private final LinkedBlockingQueue<Change> pending = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private final ResourceVersions versions;
    private volatile boolean closed;

    public ObjectStore(Path dir, KubernetesSerialization json, Clock clock, int maxEvents) {
        for (ResourceKind kind : ResourceKind.values()) {
            objects.put(kind, new ConcurrentSkipListMap<>());
        }
        this.files = new ObjectFiles(dir);
        this.json = json;
        this.clock = clock;
        this.maxEvents = maxEvents;
        this.versions = load();
        this.dispatcher = new Thread(this::dispatch, "store-watch-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Loads every object; a file that is not a stored object in its place is quarantined (WARN) and the rest load. */
    private ResourceVersions load() {
        List<HasMetadata> loaded = new ArrayList<>();
        for (Path file : files.storedFiles()) {
            try {
                loaded.add(parse(file));
            } catch (IOException | RuntimeException e) {
                Path moved = files.quarantine(file);
                LOG.warnf("store file %s cannot be loaded (%s); moved to %s", file, e, moved);
            }
        }
        loaded.sort(Comparator.comparingLong(ObjectStore::rv));
        long newest = 0;
        for (HasMetadata o : loaded) {
            ObjectKey key = ObjectKey.of(o);
            put(key, new Stored(o, json.asJson(o)));
            newest = Math.max(newest, rv(o));
            if (key.kind() == ResourceKind.EVENT) {
                events.addLast(key);
            }
        }
        ResourceVersions versions = new ResourceVersions(files, newest);
        LOG.infof("store loaded %d objects (resourceVersion %d)", loaded.size(), versions.current());
        return versions;
    }

    /** The object stored in {@code file}, which must be where its kind, namespace and name put it. */
    private HasMetadata parse(Path file) throws IOException {
        HasMetadata o = json.unmarshal(files.read(file));
        if (o == null || o.getMetadata() == null) {
            throw new IllegalArgumentException("not a Kubernetes object with metadata");
        }
        ObjectKey key = ObjectKey.of(o);
        if (!files.pathOf(key).equals(file)) {
            throw new IllegalArgumentException(key + " belongs in " + files.pathOf(key));
        }
        rv(o); // a resourceVersion that is not a number would break ordering
        return o;
    }

    private static long rv(HasMetadata o) {
        String v = o.getMetadata().getResourceVersion();
        return v == null ? 0 : Long.parseLong(v);
    }

    /** The newest resourceVersion handed out (after a restart, at least every one handed out before it). */
    public long revision() {
        return versions.current();
    }

    public <T extends HasMetadata> Optional<T> get(ObjectKey key) {
        Stored o = stored(key);
        return o == null ? Optional.empty() : Optional.of(copy(o));
    }

    /** Like {@link #get} but the stored object itself, not a copy (see {@link Stored}): callers must not change it. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> getShared(ObjectKey key) {
        Stored o = stored(key);
        return o == null ? Optional.empty() : Optional.of((T) o.object());
    }

    /**
     * A stored object as written, shared with the store and every other reader: for encoding answers without a copy.
     * {@code object} must never be changed; {@code json} is exactly what {@code json.asJson(object)} gives.
     */
    public record Stored(HasMetadata object, String json) {}

    /** A private copy of a stored object (parsed from its JSON: cheaper than a clone). */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T copy(Stored stored) {
        return (T) json.unmarshal(stored.json(), stored.object().getClass());
    }

    private Stored stored(ObjectKey key) {
        return objects.get(key.kind()).get(key);
    }

    private void put(ObjectKey key, Stored stored) {
        objects.get(key.kind()).put(key, stored);
    }

    private Stored remove(ObjectKey key) {
        return objects.get(key.kind()).remove(key);
    }

    /**
     * Like {@link #list} but the stored objects themselves, not copies (see {@link Stored}): callers must not change
     * them. Sorted by namespace and name.
     */
    public List<Stored> listStored(ResourceKind kind, String namespace, LabelSelector selector) {
        List<Stored> result = new ArrayList<>();
        for (var e : objects.get(kind).entrySet()) {
            if ((namespace == null || !kind.namespaced() || e.getKey().namespace().equals(namespace))
                    && Labels.matches(selector, e.getValue().object().getMetadata().getLabels())) {
                result.add(e.getValue());
            }
        }
        return result;
    }

    /**
     * Objects of a kind, sorted by namespace and name.
     *
     * @param namespace null for all namespaces
     * @param selector  null for all labels
     */
    public <T extends HasMetadata> List<T> list(ResourceKind kind, String namespace, LabelSelector selector) {
        List<T> result = new ArrayList<>();
        for (Stored o : listStored(kind, namespace, selector)) {
            result.add(copy(o));
        }
        return result;
    }

    /**
     * Stores a new object: sets uid, creationTimestamp, generation 1, the default namespace and a new
     * resourceVersion.
     *
     * @throws StoreException ALREADY_EXISTS, or INVALID when the namespace or name cannot be a file name
     */
    public <T extends HasMetadata> T create(T object) {
        return copy(createShared(json.clone(object))); // the caller's object is not the store's: cloned before the lock
    }

    /**
     * Like {@link #create}, but {@code object} itself becomes the stored object, so the caller must not touch it again,
     * and the answer is the stored object (see {@link Stored}), not a copy: for a caller that encodes it and is done.
     */
    public Stored createShared(HasMetadata object) {
        ObjectKey key = ObjectKey.of(object);
        files.pathOf(key); // refused (INVALID) before anything changes, e.g. an old Event evicted
        var meta = object.getMetadata();
        if (key.kind().namespaced()) {
            meta.setNamespace(key.namespace());
        }
        meta.setUid(UUID.randomUUID().toString());
        meta.setCreationTimestamp(now());
        meta.setGeneration(1L);
        writeLock.lock();
        try {
            if (stored(key) != null) {
                throw new StoreException(StoreException.Reason.ALREADY_EXISTS, key, key + " already exists");
            }
            if (key.kind() == ResourceKind.EVENT) {
                evictOldEvents();
                events.addLast(key);
            }
            return commit(key, object, WatchEvent.Type.ADDED);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Replaces an object if the caller saw the current version (optimistic concurrency, as the Kubernetes
     * API does). {@code generation} grows when the spec changed, and once when deletion begins (the first
     * {@code deletionTimestamp}). Identity fields cannot be changed.
     *
     * @throws StoreException NOT_FOUND, or CONFLICT when {@code metadata.resourceVersion} is stale
     */
    public <T extends HasMetadata> T update(T object) {
        ObjectKey key = ObjectKey.of(object);
        String expected = object.getMetadata().getResourceVersion();
        T next = json.clone(object); // the caller's object is not the store's: cloned before the lock
        return copy(readModifyWrite(key, current -> {
            if (expected != null && !expected.equals(current.object().getMetadata().getResourceVersion())) {
                throw new StoreException(StoreException.Reason.CONFLICT, key, "the object has been modified: " + key + " is at resourceVersion "
                        + current.object().getMetadata().getResourceVersion() + ", the update was based on " + expected);
            }
            return next;
        }));
    }

    /**
     * Atomic read-modify-write for the core's own components: {@code change} gets a private copy of the
     * current object and returns the wanted one (or the same instance unchanged). Nothing is written, and
     * no resourceVersion spent, when the result equals the current object.
     *
     * @return the stored object after the change
     * @throws StoreException NOT_FOUND
     */
    public <T extends HasMetadata> T mutate(ObjectKey key, UnaryOperator<T> change) {
        return copy(mutateShared(key, change));
    }

    /** Like {@link #mutate}, but answers the stored object (see {@link Stored}), not a copy. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Stored mutateShared(ObjectKey key, UnaryOperator<T> change) {
        return readModifyWrite(key, current -> change.apply((T) copy(current)));
    }

    /**
     * Replaces the object at {@code key} with what {@code change} makes of the stored version (which becomes the
     * store's), under the write lock.
     *
     * @return the stored object after the write
     */
    private <T extends HasMetadata> Stored readModifyWrite(ObjectKey key, java.util.function.Function<Stored, T> change) {
        writeLock.lock();
        try {
            Stored current = stored(key);
            if (current == null) {
                throw StoreException.notFound(key);
            }
            return replace(key, current, change.apply(current));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Whether replacing the object with {@code next} would change it (what {@link #mutate} would commit): the fields
     * the store owns (uid, creation time, resourceVersion, generation) are not compared. For dry runs.
     */
    public boolean wouldChange(ObjectKey key, HasMetadata next) {
        Stored current = stored(key);
        if (current == null) {
            return true;
        }
        HasMetadata candidate = json.clone(next);
        keepStoreFields(candidate, current.object());
        return !Objects.equals(candidate, current.object());
    }

    /** The metadata only the store writes: {@code next} gets {@code current}'s. */
    private static void keepStoreFields(HasMetadata next, HasMetadata current) {
        var meta = next.getMetadata();
        var was = current.getMetadata();
        meta.setUid(was.getUid());
        meta.setCreationTimestamp(was.getCreationTimestamp());
        meta.setNamespace(was.getNamespace());
        meta.setResourceVersion(was.getResourceVersion());
        meta.setGeneration(was.getGeneration());
    }

    /** Commits {@code next} over {@code stored} unless it changes nothing; the stored object either way. */
    private Stored replace(ObjectKey key, Stored stored, HasMetadata next) {
        HasMetadata current = stored.object();
        keepStoreFields(next, current);
        var meta = next.getMetadata();
        var was = current.getMetadata();
        if (Objects.equals(next, current)) {
            return stored;
        }
        // generation grows when the spec changed, and once when deletion begins (the first deletionTimestamp): its
        // controllers must stop acting on it (upstream's BeforeDelete for graceful deletion, markAsDeleting otherwise)
        boolean deletionBegins = was.getDeletionTimestamp() == null && meta.getDeletionTimestamp() != null;
        if (deletionBegins || !Objects.equals(spec(next), spec(current))) {
            meta.setGeneration((was.getGeneration() == null ? 0 : was.getGeneration()) + 1);
        }
        return commit(key, next, WatchEvent.Type.MODIFIED);
    }

    /**
     * The object's {@code spec} as JSON values (maps, lists, scalars), for comparing two versions: of the spec alone when
     * its class has {@code getSpec()} (every typed kind with a spec), so a pod's status and managed fields are not
     * converted on every write; else the {@code spec} entry of the whole object converted (generic resources).
     */
    private Object spec(HasMetadata o) {
        java.lang.reflect.Method getter = SPEC_GETTERS.get(o.getClass());
        if (getter == null) {
            return json.convertValue(o, Map.class).get("spec");
        }
        try {
            Object spec = getter.invoke(o);
            return spec == null ? null : json.convertValue(spec, Object.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the spec of " + o.getClass().getName(), e);
        }
    }

    /** Each class's public no-argument {@code getSpec()} whose value is written as the {@code spec} field, or none. */
    private static final ClassValue<java.lang.reflect.Method> SPEC_GETTERS = new ClassValue<>() {
        @Override
        protected java.lang.reflect.Method computeValue(Class<?> type) {
            try {
                java.lang.reflect.Method m = type.getMethod("getSpec");
                if (m.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonIgnore.class)) {
                    return null;
                }
                var property = m.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                boolean writtenAsSpec = property == null || property.value().isEmpty() || property.value().equals("spec");
                return writtenAsSpec && !java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? m : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    /**
     * Deletes an object.
     *
     * @return the deleted object, empty if there was none
     * @throws StoreException INVALID when the namespace or name cannot be a file name
     */
    public Optional<HasMetadata> delete(ObjectKey key) {
        Stored removed;
        long rv;
        writeLock.lock();
        try {
            files.pathOf(key); // a key that cannot be a file is refused (INVALID), not reported absent
            removed = stored(key);
            if (removed == null) {
                return Optional.empty();
            }
            rv = versions.next(); // reserved first: a failure to reserve deletes nothing
            files.delete(key);
            remove(key);
            pending.add(new Change(WatchEvent.Type.DELETED, key, removed, rv));
            if (key.kind() == ResourceKind.EVENT) {
                events.remove(key);
            }
        } finally {
            writeLock.unlock();
        }
        return Optional.of(deleted(removed, rv));
    }

    /** A copy of a deleted object as its deletion reports it: at the deletion's resourceVersion. */
    private HasMetadata deleted(Stored removed, long rv) {
        HasMetadata copy = copy(removed);
        copy.getMetadata().setResourceVersion(Long.toString(rv));
        return copy;
    }

    private Stored commit(ObjectKey key, HasMetadata object, WatchEvent.Type type) {
        long rv = versions.next(); // a failed write below burns the version: gaps are harmless, reuse is not
        object.getMetadata().setResourceVersion(Long.toString(rv));
        Stored stored = new Stored(object, json.asJson(object)); // one encoding for the file, the watchers and list answers
        files.write(key, stored.json()); // durable before it is visible or acknowledged
        put(key, stored);
        pending.add(new Change(type, key, stored, rv));
        return stored;
    }

    /** A committed change, queued under the write lock in resourceVersion order; see {@link #pending}. */
    private record Change(WatchEvent.Type type, ObjectKey key, Stored stored, long rv) {}

    private void evictOldEvents() {
        while (events.size() >= maxEvents) {
            ObjectKey oldest = events.pollFirst();
            if (remove(oldest) != null) {
                files.delete(oldest);
            }
        }
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Subscribes to changes of the objects {@code filter} accepts, from now on.
     *
     * @return call {@link Subscription#close()} to stop
     */
    public Subscription watch(Predicate<ObjectKey> filter, Consumer<WatchEvent> listener) {
        Subscription s = new Subscription(filter, listener);
        watchers.add(s);
        return s;
    }

    private void dispatch() {
        while (!closed) {
            Change change;
            try {
                change = pending.take();
            } catch (InterruptedException e) {
                return;
            }
            WatchEvent event = null; // made once, and only when a watcher wants the change
            for (Subscription s : watchers) {
                if (s.filter.test(change.key())) {
                    if (event == null) {
                        event = event(change);
                    }
                    try {
                        s.listener.accept(event);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "store watcher failed on %s %s", event.type(), event.key());
                    }
                }
            }
        }
    }

    /** The listeners' event for a change: one copy of the object, shared by all of them. */
    private WatchEvent event(Change change) {
        if (change.type() == WatchEvent.Type.DELETED) {
            HasMetadata copy = deleted(change.stored(), change.rv());
            return new WatchEvent(change.type(), change.key(), copy, change.rv(), json.asJson(copy));
        }
        return new WatchEvent(change.type(), change.key(), copy(change.stored()), change.rv(), change.stored().json());
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
    }

    /** An active watch. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<ObjectKey> filter;
        private final Consumer<WatchEvent> listener;

        private Subscription(Predicate<ObjectKey> filter, Consumer<WatchEvent> listener) {
            this.filter = filter;
            this.listener = listener;
        }

        @Override
        public void close() {
            watchers.remove(this);
        }
    }
}
