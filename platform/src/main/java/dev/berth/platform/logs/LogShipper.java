package dev.berth.platform.logs;

import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.runtime.ShippedLogs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The fluentd of the local engine: tails every replica's log file, turns each line into a {@link LogDocument}
 * and ships it to Elasticsearch with the client's {@link BulkIngester}.
 *
 * <p>Delivery is at-least-once and replays never duplicate: a line's offset is checkpointed on disk only after
 * Elasticsearch acknowledged it (see {@link TailedFile#committed()}), and a replayed line gets the same id and index.
 * A bulk request that fails (Elasticsearch down) and items refused with 429 or 5xx are retried with back-off, for
 * ever; items refused for good (a mapping conflict) go to the {@link DeadLetters} file. Memory is bounded: no line is
 * read while {@code maxInFlight} documents are unacknowledged, and the ingester blocks when its concurrent requests
 * are all busy.
 *
 * <p>Metrics: {@code berth_logs_lines_read_total}, {@code _documents_acked_total}, {@code _plain_lines_total},
 * {@code _dead_lettered_total}, {@code _bulk_failures_total}, gauges {@code berth_logs_lag_bytes} and
 * {@code berth_logs_in_flight_documents}. One thread reads; the client's threads acknowledge.
 *
 * <p>Rotation: a file is read from its checkpoint, or from its {@link LogStartOffsets start} when it has none (the
 * kubelet released what came before). The kubelet releases only what {@link #shippedUpTo} reports, the checkpoint as
 * last written to disk, so a restart never finds its checkpoint inside released bytes.
 */
public final class LogShipper implements ShippedLogs, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogShipper.class);
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CoreConfig.Logs config;
    private final IndexTemplate template;
    private final LogSources sources;
    private final LogStartOffsets starts;
    private final Checkpoints checkpoints;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final BulkIngester<Pending> ingester;
    private final Map<LogSources.Found, TailedFile> files = new ConcurrentHashMap<>();
    private final DelayQueue<Pending> retries = new DelayQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object wake = new Object();
    private final Counter linesRead;
    private final Counter acked;
    private final Counter plain;
    private final Counter deadLettered;
    private final Counter bulkFailures;
    private Map<String, Checkpoints.Position> restored = Map.of();
    /** The checkpoint as on disk now, by absolute path: what {@link #shippedUpTo} answers from. */
    private volatile Map<Path, Checkpoints.Position> saved = Map.of();
    private volatile boolean running = true;
    private Thread thread;

    /** One document on its way: where its line is, and how often it was tried. */
    static final class Pending implements Delayed {
        final TailedFile file;
        final long offset;
        final LogDocument doc;
        int attempts;
        long retryAtNanos;

        Pending(TailedFile file, long offset, LogDocument doc) {
            this.file = file;
            this.offset = offset;
            this.doc = doc;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(retryAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(retryAtNanos, ((Pending) o).retryAtNanos);
        }
    }

    public LogShipper(CoreConfig.Logs config, co.elastic.clients.elasticsearch.ElasticsearchClient client, IndexTemplate template, LogSources sources,
            LogStartOffsets starts, Path stateDir, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.template = template;
        this.sources = sources;
        this.starts = starts;
        this.clock = clock;
        this.checkpoints = new Checkpoints(stateDir.resolve("checkpoints.json"));
        this.deadLetters = new DeadLetters(stateDir.resolve("dead-letter.ndjson"), clock);
        this.linesRead = Counter.builder("berth.logs.lines.read").description("Log lines read from replica log files").register(registry);
        this.acked = Counter.builder("berth.logs.documents.acked").description("Log documents Elasticsearch acknowledged").register(registry);
        this.plain = Counter.builder("berth.logs.plain.lines").description("Lines that were not JSON, shipped as plain messages").register(registry);
        this.deadLettered = Counter.builder("berth.logs.dead.lettered")
                .description("Documents Elasticsearch refused for good, written to the dead-letter file").register(registry);
        this.bulkFailures = Counter.builder("berth.logs.bulk.failures").description("Bulk requests that failed and are retried").register(registry);
        Gauge.builder("berth.logs.lag.bytes", this, LogShipper::lagBytes)
                .description("Bytes written to replica log files that Elasticsearch has not acknowledged yet").register(registry);
        Gauge.builder("berth.logs.in.flight.documents", inFlight, AtomicInteger::get)
                .description("Documents read and not yet acknowledged").register(registry);
        // Elasticsearch's answer trimmed to what acknowledgements need (status, error) and what the client's BulkResponse
        // requires (took, errors, _index): parsing full item results costs the shipper more CPU than building the
        // documents (measured with ci/bench-logs.sh)
        co.elastic.clients.elasticsearch.ElasticsearchClient bulkClient = client.withTransportOptions(o -> o.setParameter("filter_path",
                "took,errors,items.*._index,items.*.status,items.*.error"));
        this.ingester = BulkIngester.of(b -> b.client(bulkClient)
                .maxOperations(config.batchDocuments())
                .maxSize(config.batchBytes())
                .maxConcurrentRequests(config.concurrentRequests())
                .flushInterval(config.flushInterval().toMillis(), TimeUnit.MILLISECONDS)
                .listener(new Acknowledgements()));
    }

    public void start() {
        try {
            restored = checkpoints.load();
        } catch (IOException e) {
            // a checkpoint that cannot be read means shipping everything again: duplicates are impossible (ids), loss is not
            LOG.warnf(e, "cannot read the log shipper's checkpoints; replaying every log file from its start");
        }
        saved = byAbsolutePath(restored);
        thread = new Thread(this::run, "log-shipper");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(TailedFile.MAX_LINE);
        long lastCheckpoint = 0;
        while (running) {
            try {
                discover(); // also while Elasticsearch is away: the lag gauge counts every file
                int read = 0;
                if (template.ensureApplied()) {
                    resendDueRetries();
                    read = readLines(buffer);
                    closeFinished();
                }
                if (System.nanoTime() - lastCheckpoint > CHECKPOINT_EVERY.toNanos()) {
                    saveCheckpoints();
                    lastCheckpoint = System.nanoTime();
                }
                if (read > 0 && inFlight.get() < config.maxInFlight()) {
                    // a pass reads each file up to the room left, so lines may be waiting: read on at once. Waiting out the
                    // poll interval here left Elasticsearch without a next batch (measured: 1.6 s idle in an 8 s run)
                    continue;
                }
                synchronized (wake) {
                    wake.wait(config.pollInterval().toMillis()); // or sooner, once acknowledgements made room
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | IOException e) {
                if (!running) {
                    // close() interrupted this pass (a FileChannel read or write gives up with ClosedByInterruptException):
                    // a stop, not a failure; close() writes the checkpoints of what was acknowledged itself
                    return;
                }
                LOG.errorf(e, "log shipper pass failed; trying again");
            }
        }
    }

    /** Opens files that appeared (where the checkpoint left them); marks those deleted or replaced as gone. */
    private void discover() throws IOException {
        Set<LogSources.Found> present = new HashSet<>(sources.scan());
        for (LogSources.Found f : present) {
            if (files.containsKey(f)) {
                continue;
            }
            Checkpoints.Position at = restored.get(f.path().toString());
            try {
                long start = starts.of(f.path()); // bytes before it were released: never read them
                boolean resume = at != null && at.inode() == f.inode() && at.offset() <= Files.size(f.path()) && at.offset() >= start;
                files.put(f, new TailedFile(sources.describe(f), f.path(), f.inode(), resume ? at.offset() : start, resume ? at.timestamp() : null));
            } catch (NoSuchFileException e) {
                // deleted since the scan: nothing was written that a reader could still reach
            }
        }
        // a vanished file is gone for good (the open channel still reads what was written before); a kept file of a
        // deleted pod until a pod of that name appends to it again (a StatefulSet's)
        files.forEach((found, file) -> file.gone(!present.contains(found) || sources.podGone(found)));
    }

    private void resendDueRetries() {
        Pending p;
        while ((p = retries.poll()) != null) {
            ingester.add(operation(p.doc), p);
        }
    }

    /** Reads each file's new lines while there is room in the window; returns how many it read. */
    private int readLines(ByteBuffer buffer) throws IOException {
        int read = 0;
        for (TailedFile file : files.values()) {
            int room = config.maxInFlight() - inFlight.get();
            if (room <= 0) {
                return read; // backpressure: Elasticsearch is behind or down
            }
            read += file.read(buffer, room, line -> {
                LogDocument doc = LogDocument.of(file.source, file.metadata, line.buffer(), line.from(), line.length(), line.offset(),
                        line.previousTimestamp(), config.indexPrefix());
                linesRead.increment();
                if (doc.plain()) {
                    plain.increment();
                }
                inFlight.incrementAndGet();
                ingester.add(operation(doc), new Pending(file, line.offset(), doc));
                return doc.timestamp();
            });
        }
        return read;
    }

    private static BulkOperation operation(LogDocument doc) {
        // the document's own bytes: no tree, no second serialisation
        return BulkOperation.of(o -> o.index(i -> i.index(doc.index()).id(doc.id()).document(BinaryData.of(doc.json(), ContentType.APPLICATION_JSON))));
    }

    /** Closes files shipped to their end; a deleted pod's file, kept until now, is removed with its directories. */
    private void closeFinished() throws IOException {
        for (var it = files.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().finished()) {
                e.getValue().close();
                it.remove();
                if (LogSources.onDisk(e.getKey()) && sources.podGone(e.getKey())) {
                    sources.removeShipped(e.getKey());
                }
            }
        }
    }

    private void saveCheckpoints() throws IOException {
        Map<String, Checkpoints.Position> positions = new HashMap<>();
        files.forEach((found, file) -> {
            if (LogSources.onDisk(found)) {
                positions.put(found.path().toString(), file.committed()); // also a deleted pod's file not shipped yet
            }
        });
        restored.forEach((path, position) -> {
            if (!positions.containsKey(path) && Files.exists(Path.of(path))) {
                positions.put(path, position); // not reopened yet (the template is not applied): keep its place
            }
        });
        checkpoints.save(positions);
        saved = byAbsolutePath(positions);
    }

    private static Map<Path, Checkpoints.Position> byAbsolutePath(Map<String, Checkpoints.Position> positions) {
        Map<Path, Checkpoints.Position> byPath = new HashMap<>();
        positions.forEach((path, position) -> byPath.put(Path.of(path).toAbsolutePath().normalize(), position));
        return Map.copyOf(byPath);
    }

    /** From the checkpoint on disk, never from acknowledgements not yet written there. Thread-safe. */
    @Override
    public long shippedUpTo(Path file, long inode) {
        Checkpoints.Position p = saved.get(file.toAbsolutePath().normalize());
        return p != null && p.inode() == inode ? p.offset() : 0;
    }

    long lagBytes() {
        long lag = 0;
        for (TailedFile f : files.values()) {
            lag += f.lag();
        }
        return lag;
    }

    /** Turns Elasticsearch's answers into acknowledgements, retries and dead letters; runs on the client's threads. */
    private final class Acknowledgements implements BulkListener<Pending> {

        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Pending> contexts) {}

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, BulkResponse response) {
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < contexts.size(); i++) {
                Pending p = contexts.get(i);
                BulkResponseItem item = items.get(i);
                if (item.error() == null) {
                    done(p);
                } else if (item.status() == 429 || item.status() >= 500) {
                    retry(p);
                } else {
                    try {
                        deadLetters.write(p.doc, item.status(), item.error().type(), item.error().reason());
                        deadLettered.increment();
                        done(p);
                    } catch (IOException e) {
                        LOG.errorf(e, "cannot write the dead-letter file %s; retrying %s", deadLetters.file(), p.doc.id());
                        retry(p);
                    }
                }
            }
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, Throwable failure) {
            bulkFailures.increment();
            if (contexts.isEmpty() || contexts.get(0).attempts == 0) {
                LOG.warnf("a bulk request of %d log documents failed (%s); retrying with back-off", contexts.size(), failure.toString());
            }
            contexts.forEach(LogShipper.this::retry);
        }
    }

    private void done(Pending p) {
        p.file.acknowledged(p.offset);
        acked.increment();
        if (inFlight.decrementAndGet() == config.maxInFlight() / 2) {
            synchronized (wake) {
                wake.notifyAll(); // half the window is free: read on without waiting out the poll interval
            }
        }
    }

    private void retry(Pending p) {
        p.attempts++;
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(p.attempts, 6));
        p.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        retries.add(p);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ingester.close(); // sends what is buffered and waits for the answers
        try {
            saveCheckpoints();
        } catch (IOException e) {
            LOG.warnf(e, "cannot write the log shipper's checkpoints; the next start replays from the previous ones");
        }
        try {
            deadLetters.close();
        } catch (IOException e) {
            LOG.warnf(e, "closing %s", deadLetters.file());
        }
        for (TailedFile f : files.values()) {
            try {
                f.close();
            } catch (IOException e) {
                LOG.debugf("closing %s: %s", f.source.path(), e);
            }
        }
    }
}
