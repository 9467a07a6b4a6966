package dev.berth.platform.proxy;

import dev.berth.platform.model.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The kernel path of the local engine's Services, as kube-proxy's nftables mode: a connection to a Service's virtual
 * address ({@link #virtualAddress}, in {@value #RANGE}) is DNATed by the kernel to one of the Service's Ready endpoints,
 * picked at random per connection, so none of its bytes passes through the core. Draining an endpoint takes it out of
 * the rule (no new connections); the kernel's connection tracking keeps the open ones where they are.
 *
 * <p>Confined: everything lives in this core's own nftables table, {@code ip berth_<pid>_<n>}, whose one chain (nat,
 * output hook) matches only {@value #RANGE}; no other table, chain or address is touched. {@link #close()} deletes the
 * table, and {@link #open} deletes the tables of cores that are gone (a crash) before it makes its own.
 *
 * <p>Thread-safe. Each change rewrites the chain in one {@code nft -f} transaction, which the kernel applies
 * atomically: a new connection sees the old rules or the new ones.
 */
public final class KernelRoutes implements AutoCloseable {

    /** Where Service virtual addresses live: one dedicated loopback range. */
    public static final String RANGE = "127.77.0.0/16";
    private static final Logger LOG = Logger.getLogger(KernelRoutes.class);
    private static final Pattern BERTH_TABLE = Pattern.compile("^table ip (berth_(\\d+)_\\d+)$", Pattern.MULTILINE);
    /** Tells apart the tables of several engines in one JVM (tests run more than one core). */
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String CHAIN = "services";

    /** One Service's rule: its virtual address and port, and where connections go. */
    private record Route(String address, int port, List<Endpoint> endpoints) {
    }

    private final String nft;
    private final String table;
    private final Map<ObjectKey, Route> routes = new LinkedHashMap<>(); // guarded by this
    private final Set<Endpoint> drained = new HashSet<>();              // guarded by this: endpoints taken out
    private boolean closed;                                             // guarded by this

    private KernelRoutes(String nft, String table) {
        this.nft = nft;
        this.table = table;
    }

    /**
     * Makes this core's table, after deleting those of cores no longer running. Empty, with the reason logged, when
     * the kernel path cannot be used here (no {@code nft}, not permitted, no nat support in the kernel): the caller
     * then keeps the user-space proxy.
     */
    public static Optional<KernelRoutes> open() {
        Optional<String> nft = nftBinary();
        if (nft.isEmpty()) {
            LOG.info("Service kernel path off: no nft binary (Debian package nftables)");
            return Optional.empty();
        }
        KernelRoutes routes = new KernelRoutes(nft.get(), "berth_" + ProcessHandle.current().pid() + "_" + INSTANCES.incrementAndGet());
        try {
            routes.deleteTablesOfGoneCores();
            routes.run("add table ip " + routes.table + "\n"
                    + "add chain ip " + routes.table + " " + CHAIN + " { type nat hook output priority -100; policy accept; }\n"
                    + "flush chain ip " + routes.table + " " + CHAIN + "\n");
            return Optional.of(routes);
        } catch (IOException e) {
            LOG.infof("Service kernel path off: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A Service's virtual address, from the port of its listener on 127.0.0.1: that port is bound by one Service of
     * one core on this machine at a time, so two cores (or two Services) never share a virtual address.
     */
    public static String virtualAddress(int localPort) {
        if (localPort < 1 || localPort > 65_535) {
            throw new IllegalArgumentException("port " + localPort + " is not in 1..65535");
        }
        return "127.77." + (localPort >> 8) + "." + (localPort & 0xff);
    }

    /** The table this core's rules live in. */
    public String table() {
        return table;
    }

    /**
     * Routes new connections to {@code address:port} to {@code endpoints} (none: refused, as nothing listens on the
     * virtual address). Endpoints of replicas being drained are left out. Replaces the Service's previous rule.
     *
     * @throws IOException when nft refused the change; the previous rules stay in force
     */
    public synchronized void route(ObjectKey service, String address, int port, List<Endpoint> endpoints) throws IOException {
        if (closed) {
            throw new IllegalStateException("kernel routes are closed");
        }
        if (!address.startsWith("127.77.")) {
            throw new IllegalArgumentException(address + " is not in " + RANGE);
        }
        Route next = new Route(address, port, List.copyOf(endpoints));
        Route previous = routes.put(service, next);
        if (next.equals(previous)) {
            return; // an Endpoints change that left this Service's endpoints as they were: nothing to write
        }
        apply(previous == null ? () -> routes.remove(service) : () -> routes.put(service, previous));
    }

    /** Forgets a Service's rule. Idempotent. */
    public synchronized void remove(ObjectKey service) throws IOException {
        Route previous = routes.remove(service);
        if (previous != null && !closed) {
            apply(() -> routes.put(service, previous));
        }
    }

    /**
     * Takes a replica's endpoints out of every rule before this returns: no new connection reaches them, while the open
     * ones go on. Sticky while later {@link #route} calls still list the same endpoint (a replica restarted under the
     * same name, as a StatefulSet's, listens elsewhere: a new endpoint, routed). Idempotent.
     */
    public synchronized void drain(String replica) throws IOException {
        Set<Endpoint> taken = new HashSet<>();
        routes.values().forEach(r -> r.endpoints().stream().filter(e -> e.replica().equals(replica)).forEach(taken::add));
        taken.removeAll(drained);
        // nothing to change for a replica no rule lists (the kubelet drains every pod it stops, most behind no kernel route)
        if (closed || taken.isEmpty()) {
            return;
        }
        drained.addAll(taken);
        apply(() -> drained.removeAll(taken));
    }

    /**
     * Undoes {@link #drain} for a replica whose rules still list it (a restarted container that is ready again while its
     * Endpoints never changed): its endpoints are in rotation again. Idempotent; nothing to do for a replica not drained.
     */
    public synchronized void undrain(String replica) throws IOException {
        Set<Endpoint> back = new HashSet<>();
        drained.stream().filter(e -> e.replica().equals(replica)).forEach(back::add);
        if (closed || back.isEmpty()) {
            return;
        }
        drained.removeAll(back);
        apply(() -> drained.addAll(back));
    }

    /** The Services routed now and their endpoints in rotation ({@code berth describe}-style, and tests). */
    public synchronized Map<ObjectKey, List<Endpoint>> routed() {
        Map<ObjectKey, List<Endpoint>> out = new LinkedHashMap<>();
        routes.forEach((service, route) -> out.put(service, inRotation(route)));
        return out;
    }

    /** Deletes this core's table. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        routes.clear();
        try {
            run("delete table ip " + table + "\n");
        } catch (IOException e) {
            LOG.warnf("could not delete the nftables table %s: %s (the next core's start deletes it)", table, e.getMessage());
        }
    }

    /**
     * Writes the whole chain in one transaction; on failure runs {@code undo} so the map matches the kernel again.
     * A drained endpoint that no rule lists any more is forgotten (a later list naming it brings it back).
     */
    private void apply(Runnable undo) throws IOException {
        Set<Endpoint> drainedBefore = Set.copyOf(drained);
        drained.removeIf(endpoint -> routes.values().stream().noneMatch(r -> r.endpoints().contains(endpoint)));
        StringBuilder script = new StringBuilder("flush chain ip ").append(table).append(' ').append(CHAIN).append('\n');
        // everything outside the range leaves the chain at once
        script.append("add rule ip ").append(table).append(' ').append(CHAIN).append(" ip daddr != ").append(RANGE).append(" return\n");
        routes.values().forEach(route -> {
            List<Endpoint> to = inRotation(route);
            if (to.isEmpty()) {
                return;
            }
            script.append("add rule ip ").append(table).append(' ').append(CHAIN)
                    .append(" ip daddr ").append(route.address()).append(" tcp dport ").append(route.port())
                    .append(" dnat to numgen random mod ").append(to.size()).append(" map { ");
            for (int i = 0; i < to.size(); i++) {
                script.append(i == 0 ? "" : ", ").append(i).append(" : ").append(to.get(i).host()).append(" . ").append(to.get(i).port());
            }
            script.append(" }\n");
        });
        try {
            run(script.toString());
        } catch (IOException e) {
            undo.run();
            drained.addAll(drainedBefore);
            throw e;
        }
    }

    private List<Endpoint> inRotation(Route route) {
        List<Endpoint> to = new ArrayList<>();
        for (Endpoint e : route.endpoints()) {
            if (!drained.contains(e)) {
                to.add(e);
            }
        }
        return to;
    }

    private void deleteTablesOfGoneCores() throws IOException {
        Matcher m = BERTH_TABLE.matcher(run("list tables ip\n"));
        StringBuilder script = new StringBuilder();
        while (m.find()) {
            long pid = Long.parseLong(m.group(2));
            if (ProcessHandle.of(pid).isEmpty()) {
                script.append("delete table ip ").append(m.group(1)).append('\n');
            }
        }
        if (!script.isEmpty()) {
            LOG.infof("deleting nftables tables of cores that are gone: %s", script.toString().replace('\n', ' ').trim());
            run(script.toString());
        }
    }

    /** Runs an nft script from stdin; its output, or an IOException carrying nft's error. */
    private String run(String script) throws IOException {
        Process p = new ProcessBuilder(nft, "-f", "-").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while nft ran", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("nft failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return out;
    }

    private static Optional<String> nftBinary() {
        for (String dir : (Objects.requireNonNullElse(System.getenv("PATH"), "") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nft"))) {
                return Optional.of(Path.of(dir, "nft").toString());
            }
        }
        return Optional.empty();
    }
}
