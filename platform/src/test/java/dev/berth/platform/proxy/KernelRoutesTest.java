package dev.berth.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel path against this machine's real nftables and sockets: connections to a virtual address reach the Ready
 * endpoints and nothing else, drained endpoints get no new connection, and the rules stay in this core's own table.
 * As root (CI here; ci/bootstrap.sh installs nftables) the kernel path must open; as any other user it must not (the
 * core then keeps the user-space proxy), and the tests that need the kernel stop there.
 */
public class KernelRoutesTest {

    static final ObjectKey POSTGRES = new ObjectKey(ResourceKind.SERVICE, "default", "postgres");
    static final ObjectKey OTHER = new ObjectKey(ResourceKind.SERVICE, "default", "other");

    KernelRoutes routes;
    final List<NamedServer> servers = new java.util.ArrayList<>();

    /** A backend that writes its name to every connection and closes it. */
    record NamedServer(String name, ServerSocket socket, Thread acceptor) {
        static NamedServer start(String name) throws IOException {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException closed) {
                        return; // the socket was closed by the test's tearDown
                    }
                }
            }, "named-server-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
            return new NamedServer(name, socket, acceptor);
        }

        Endpoint endpoint() {
            return new Endpoint(name, "127.0.0.1", socket.getLocalPort(), "r1");
        }
    }

    @BeforeEach
    void open() throws IOException {
        routes = KernelRoutes.open().orElse(null);
        if (runningAsRoot()) {
            assertThat(routes).as("as root the kernel path opens (needs nft: apt-get install nftables)").isNotNull();
        } else {
            assertThat(routes).as("without root the kernel path is off").isNull();
        }
        assumeTrue(routes != null, "the kernel path needs root");
    }

    /** Whether this JVM runs with effective uid 0 (the second field of {@code Uid:} in /proc/self/status). */
    public static boolean runningAsRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2]).findFirst().orElseThrow().equals("0");
    }

    @AfterEach
    void close() throws IOException {
        if (routes != null) {
            routes.close();
        }
        for (NamedServer s : servers) {
            s.socket().close();
        }
    }

    NamedServer server(String name) throws IOException {
        NamedServer s = NamedServer.start(name);
        servers.add(s);
        return s;
    }

    static String answer(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2_000);
            s.setSoTimeout(2_000);
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    static String nft(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("nft"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("nft %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void virtualAddressesComeFromTheListenersPortAndStayInTheRange() {
        assertThat(KernelRoutes.virtualAddress(30000)).isEqualTo("127.77.117.48");
        assertThat(KernelRoutes.virtualAddress(1)).isEqualTo("127.77.0.1");
        assertThat(KernelRoutes.virtualAddress(65535)).isEqualTo("127.77.255.255");
        assertThatThrownBy(() -> KernelRoutes.virtualAddress(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> routes.route(POSTGRES, "127.0.0.1", 5432, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.77.0.0/16");
    }

    @Test
    void connectionsToTheVirtualAddressReachEveryReadyEndpointAndOnlyThem() throws Exception {
        NamedServer a = server("postgres-0");
        NamedServer b = server("postgres-1");
        String vip = KernelRoutes.virtualAddress(a.socket().getLocalPort());
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint(), b.endpoint()));

        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            reached.add(answer(vip, 5432));
        }
        // random per connection: both are reached (one alone 40 times has odds of 2^-39)
        assertThat(reached).containsExactlyInAnyOrder("postgres-0", "postgres-1");
        // the Service's other ports and other addresses of the range are not routed
        assertThatThrownBy(() -> answer(vip, 5433)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> answer("127.77.255.254", 5432)).isInstanceOf(ConnectException.class);
        assertThat(routes.routed()).containsOnlyKeys(POSTGRES);
    }

    @Test
    void aDrainedEndpointGetsNoNewConnectionsAndANewEndpointListGivesItBackOnceItLeftIt() throws Exception {
        NamedServer a = server("postgres-0");
        NamedServer b = server("postgres-1");
        String vip = KernelRoutes.virtualAddress(a.socket().getLocalPort());
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint(), b.endpoint()));

        routes.drain("postgres-0");
        for (int i = 0; i < 20; i++) {
            assertThat(answer(vip, 5432)).isEqualTo("postgres-1");
        }
        // drained is sticky while the endpoints still list it (its readiness change has not arrived yet)
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint(), b.endpoint()));
        assertThat(routes.routed().get(POSTGRES)).containsExactly(b.endpoint());
        // once a list leaves it out, a later list brings it back (a restarted replica of the same name)
        routes.route(POSTGRES, vip, 5432, List.of(b.endpoint()));
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint()));
        assertThat(answer(vip, 5432)).isEqualTo("postgres-0");

        // a drained replica restarted under its name (a StatefulSet's postgres-0) listens elsewhere: routed at once,
        // even when the Endpoints go straight from the old address to the new one
        NamedServer restarted = server("postgres-0");
        routes.drain("postgres-0");
        routes.route(POSTGRES, vip, 5432, List.of(restarted.endpoint()));
        assertThat(answer(vip, 5432)).isEqualTo("postgres-0");
        assertThat(routes.routed().get(POSTGRES)).containsExactly(restarted.endpoint());

        // a replica that no rule lists (most pods the kubelet stops) changes nothing and is not held out later
        NamedServer c = server("postgres-2");
        routes.drain("postgres-2");
        routes.route(POSTGRES, vip, 5432, List.of(c.endpoint()));
        assertThat(answer(vip, 5432)).isEqualTo("postgres-2");
    }

    /**
     * A container that exited is drained at once by the kubelet; when its restart is ready again before the Endpoints
     * ever changed (the controller saw the pod only before and after), undrain puts it back: otherwise it would be
     * held out for good, its Endpoints listing it ready.
     */
    @Test
    void anUndrainedReplicaGetsConnectionsAgainWhileItsEndpointsNeverChanged() throws Exception {
        NamedServer a = server("web-0");
        NamedServer b = server("web-1");
        String vip = KernelRoutes.virtualAddress(a.socket().getLocalPort());
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint(), b.endpoint()));

        routes.drain("web-0");
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint(), b.endpoint()));
        assertThat(routes.routed().get(POSTGRES)).containsExactly(b.endpoint());

        routes.undrain("web-0");
        assertThat(routes.routed().get(POSTGRES)).containsExactly(a.endpoint(), b.endpoint());
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 40 && reached.size() < 2; i++) {
            reached.add(answer(vip, 5432));
        }
        assertThat(reached).containsExactlyInAnyOrder("web-0", "web-1");
        // idempotent, and a replica never drained is left as it is
        routes.undrain("web-0");
        routes.undrain("web-9");
        assertThat(routes.routed().get(POSTGRES)).containsExactly(a.endpoint(), b.endpoint());
    }

    @Test
    void withoutReadyEndpointsOrAfterRemovalConnectionsAreRefused() throws Exception {
        NamedServer a = server("postgres-0");
        String vip = KernelRoutes.virtualAddress(a.socket().getLocalPort());
        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint()));
        assertThat(answer(vip, 5432)).isEqualTo("postgres-0");

        routes.route(POSTGRES, vip, 5432, List.of());
        assertThatThrownBy(() -> answer(vip, 5432)).isInstanceOf(ConnectException.class);

        routes.route(POSTGRES, vip, 5432, List.of(a.endpoint()));
        routes.remove(POSTGRES);
        assertThatThrownBy(() -> answer(vip, 5432)).isInstanceOf(ConnectException.class);
        assertThat(routes.routed()).isEmpty();
    }

    @Test
    void rulesLiveOnlyInThisCoresTableWhichCloseDeletes() throws Exception {
        NamedServer a = server("postgres-0");
        NamedServer b = server("other-0");
        routes.route(POSTGRES, KernelRoutes.virtualAddress(a.socket().getLocalPort()), 5432, List.of(a.endpoint()));
        routes.route(OTHER, KernelRoutes.virtualAddress(b.socket().getLocalPort()), 80, List.of(b.endpoint()));

        String table = nft("list", "table", "ip", routes.table());
        assertThat(table).contains("dnat ip to numgen random mod 1")
                .contains("ip daddr != 127.77.0.0/16 return")
                .contains("ip daddr " + KernelRoutes.virtualAddress(b.socket().getLocalPort()) + " tcp dport 80");
        // every address a rule matches is in the range
        assertThat(table.lines().filter(l -> l.contains("ip daddr ") && !l.contains("!="))
                .map(l -> l.replaceAll(".*ip daddr (\\S+).*", "$1"))).allMatch(address -> address.startsWith("127.77."));
        assertThat(answer(KernelRoutes.virtualAddress(b.socket().getLocalPort()), 80)).isEqualTo("other-0");

        routes.close();
        assertThat(nft("list", "tables", "ip")).doesNotContain(routes.table());
        routes.close(); // idempotent
        assertThatThrownBy(() -> routes.route(POSTGRES, "127.77.0.1", 5432, List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openingDeletesTheTablesOfCoresThatAreGoneAndNoOtherTable() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String goneTable = "berth_" + gone.pid() + "_1";
        String liveTable = "berth_1_1"; // pid 1 is always running
        String foreign = "berth_test_other";
        nft("add", "table", "ip", goneTable);
        nft("add", "table", "ip", liveTable);
        nft("add", "table", "ip", foreign);
        try {
            KernelRoutes second = KernelRoutes.open().orElseThrow();
            try {
                String tables = nft("list", "tables", "ip");
                assertThat(tables).doesNotContain("table ip " + goneTable + "\n")
                        .contains("table ip " + liveTable + "\n", "table ip " + foreign + "\n", "table ip " + routes.table() + "\n",
                                "table ip " + second.table() + "\n");
                assertThat(second.table()).as("a second engine in this JVM has its own table").isNotEqualTo(routes.table());
            } finally {
                second.close();
            }
        } finally {
            nft("delete", "table", "ip", liveTable);
            nft("delete", "table", "ip", foreign);
        }
    }
}
