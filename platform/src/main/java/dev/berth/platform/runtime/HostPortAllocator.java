package dev.berth.platform.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The host ports the kubelet gives replicas' container ports, taken from a range outside the kernel's ephemeral
 * range ({@code net.ipv4.ip_local_port_range}, 32768–60999 by default).
 *
 * <p>A port asked of the kernel ({@code bind(0)}) comes from the ephemeral range, so between the check and the
 * replica's own bind, seconds later, any outgoing connection on the machine could take it as its local port: the
 * replica then failed with "port in use" and crash-looped. Outside that range the kernel never hands a port out
 * on its own; only an explicit bind takes one, and a bind is what {@link #allocate()} checks. Ports handed to pods
 * of this kubelet are held until the pod stops, so two pods never get one port while neither listens yet.
 */
final class HostPortAllocator {

    private static final Logger LOG = Logger.getLogger(HostPortAllocator.class);
    /** Below the Service listeners' range (30000 up) and clear of the core's and its backing services' fixed ports. */
    static final int LOW = 20000;
    static final int HIGH = 29999;
    private static final Path EPHEMERAL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private final int low;
    private final int high;
    private final int ephemeralLow;
    private final int ephemeralHigh;
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();

    HostPortAllocator(int low, int high, int ephemeralLow, int ephemeralHigh) {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("not a port range: " + low + "-" + high);
        }
        this.low = low;
        this.high = high;
        this.ephemeralLow = ephemeralLow;
        this.ephemeralHigh = ephemeralHigh;
        if (ephemeralLow <= low && ephemeralHigh >= high) {
            LOG.warnf("the kernel's ephemeral port range %d-%d covers %d-%d: replica ports may be taken by outgoing connections",
                    ephemeralLow, ephemeralHigh, low, high);
        }
    }

    /** {@link #LOW}–{@link #HIGH}, clear of this machine's ephemeral range as read from /proc. */
    static HostPortAllocator forThisMachine() {
        int[] ephemeral = ephemeralRange(EPHEMERAL).orElse(new int[] {32768, 60999});
        return new HostPortAllocator(LOW, HIGH, ephemeral[0], ephemeral[1]);
    }

    /** The two numbers of an {@code ip_local_port_range} file, if it can be read and holds them. */
    static Optional<int[]> ephemeralRange(Path file) {
        // a line at a time: Files.readString trusts the size /proc reports (0) and returns the first byte alone
        try (var reader = Files.newBufferedReader(file)) {
            String line = reader.readLine();
            if (line == null) {
                return Optional.empty();
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                return Optional.empty();
            }
            return Optional.of(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A free port for a replica, held until {@link #release}: a random start, then the first port up from it (wrapping)
     * that this kubelet does not hold, lies outside the ephemeral range (unless nothing else is left) and binds on
     * 127.0.0.1 now. A random start keeps two cores on one machine from trying the same ports in the same order.
     */
    int allocate() {
        int size = high - low + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (boolean outsideOnly : new boolean[] {true, false}) {
            for (int i = 0; i < size; i++) {
                int port = low + (start + i) % size;
                if (outsideOnly && port >= ephemeralLow && port <= ephemeralHigh) {
                    continue;
                }
                if (held.add(port)) {
                    if (bindable(port)) {
                        return port;
                    }
                    held.remove(port);
                }
            }
        }
        throw new java.io.UncheckedIOException(new IOException("no free port in " + low + "-" + high + " on 127.0.0.1"));
    }

    /** Ports a pod already has (recorded before a core restart, or pinned by its manifest): never handed to another pod. */
    void hold(Collection<Integer> ports) {
        held.addAll(ports);
    }

    /** The pod that had {@code ports} has stopped. */
    void release(Collection<Integer> ports) {
        held.removeAll(ports);
    }

    boolean isHeld(int port) {
        return held.contains(port);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
