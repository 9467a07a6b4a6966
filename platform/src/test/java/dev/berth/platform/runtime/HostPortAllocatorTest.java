package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HostPortAllocator} with real sockets on 127.0.0.1. */
class HostPortAllocatorTest {

    @Test
    void portsComeFromOutsideThisMachinesEphemeralRangeAndBind() throws IOException {
        int[] ephemeral = HostPortAllocator.ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).orElseThrow();
        HostPortAllocator ports = HostPortAllocator.forThisMachine();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = ports.allocate();
            assertThat(port).isBetween(HostPortAllocator.LOW, HostPortAllocator.HIGH);
            if (ephemeral[0] > HostPortAllocator.LOW || ephemeral[1] < HostPortAllocator.HIGH) {
                assertThat(port < ephemeral[0] || port > ephemeral[1]).as("%d is a port the kernel could give an outgoing connection", port).isTrue();
            }
            assertThat(seen.add(port)).as("port %d handed out twice while held", port).isTrue();
            try (ServerSocket replica = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(replica.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortSomeoneListensOnIsSkipped() throws IOException {
        int base = twoFreePorts();
        HostPortAllocator ports = new HostPortAllocator(base, base + 1, 32768, 60999);
        try (ServerSocket taken = new ServerSocket(base, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 10; i++) {
                int port = ports.allocate();
                assertThat(port).isEqualTo(base + 1);
                ports.release(List.of(port));
            }
        }
    }

    @Test
    void heldPortsAreNotHandedOutUntilReleased() {
        int base = twoFreePorts();
        HostPortAllocator ports = new HostPortAllocator(base, base + 1, 32768, 60999);
        ports.hold(List.of(base)); // an adopted replica's recorded port, not listening yet
        int first = ports.allocate();
        assertThat(first).isEqualTo(base + 1);
        assertThatThrownBy(ports::allocate).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("no free port in " + base + "-" + (base + 1));
        ports.release(List.of(base));
        assertThat(ports.allocate()).isEqualTo(base);
        assertThat(ports.isHeld(base)).isTrue();
        assertThat(ports.isHeld(first)).isTrue();
    }

    @Test
    void anEphemeralPortOnlyWhenNothingElseIsLeft() {
        int base = twoFreePorts();
        // the machine's ephemeral range covers the first of the two
        HostPortAllocator ports = new HostPortAllocator(base, base + 1, base, base);
        for (int i = 0; i < 10; i++) {
            int port = ports.allocate();
            assertThat(port).isEqualTo(base + 1);
            ports.release(List.of(port));
        }
        ports.hold(List.of(base + 1));
        assertThat(ports.allocate()).isEqualTo(base);
    }

    @Test
    void theEphemeralRangeFileIsParsedAndNonsenseIsIgnored(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ip_local_port_range");
        Files.writeString(file, "32768\t60999\n");
        assertThat(HostPortAllocator.ephemeralRange(file)).hasValueSatisfying(r -> assertThat(r).containsExactly(32768, 60999));
        Files.writeString(file, "32768\n");
        assertThat(HostPortAllocator.ephemeralRange(file)).isEmpty();
        Files.writeString(file, "a b\n");
        assertThat(HostPortAllocator.ephemeralRange(file)).isEmpty();
        assertThat(HostPortAllocator.ephemeralRange(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void aRangeThatIsNoneIsRefused() {
        assertThatThrownBy(() -> new HostPortAllocator(30000, 20000, 32768, 60999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPortAllocator(0, 10, 32768, 60999)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The lower of two consecutive ports in the kubelet's range that nothing listens on now. */
    private static int twoFreePorts() {
        for (int base = 24000; base < 26000; base += 2) {
            if (bindable(base) && bindable(base + 1)) {
                return base;
            }
        }
        throw new AssertionError("no two free ports in 24000-26000");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
