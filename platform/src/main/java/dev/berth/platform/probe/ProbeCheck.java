package dev.berth.platform.probe;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Performs one HTTP or TCP probe against 127.0.0.1, as kubelet does: HTTP succeeds on a status from 200 to 399
 * within the timeout; TCP succeeds when a connection opens. Thread-safe.
 */
public final class ProbeCheck {

    private final Executor executor;
    private volatile HttpClient http;

    public ProbeCheck(Executor executor) {
        this.executor = executor;
    }

    /** Created on the first probe: building a JDK HttpClient initialises TLS, which the core's start-up need not pay. */
    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(executor)
                            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
                }
                h = http;
            }
        }
        return h;
    }

    /** @param port the host port the probed container port maps to */
    public CompletableFuture<ProbeOutcome> run(Probe probe, int port) {
        Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
        if (probe.getHttpGet() != null) {
            String path = probe.getHttpGet().getPath() == null ? "/" : probe.getHttpGet().getPath();
            String scheme = probe.getHttpGet().getScheme() == null ? "http" : probe.getHttpGet().getScheme().toLowerCase(java.util.Locale.ROOT);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path)))
                    .timeout(timeout).header("User-Agent", "berth-probe/1.0").GET();
            for (HTTPHeader h : probe.getHttpGet().getHttpHeaders() == null ? java.util.List.<HTTPHeader>of() : probe.getHttpGet().getHttpHeaders()) {
                request.header(h.getName(), h.getValue());
            }
            return http().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> r.statusCode() >= 200 && r.statusCode() < 400 ? ProbeOutcome.ok()
                            : ProbeOutcome.failure("HTTP probe failed with statuscode: " + r.statusCode()))
                    .exceptionally(e -> ProbeOutcome.failure("Get \"" + scheme + "://127.0.0.1:" + port + path + "\": " + cause(e)));
        }
        if (probe.getTcpSocket() != null) {
            return CompletableFuture.supplyAsync(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
                    return ProbeOutcome.ok();
                } catch (IOException e) {
                    return ProbeOutcome.failure("dial tcp 127.0.0.1:" + port + ": " + e.getMessage());
                }
            }, executor);
        }
        return CompletableFuture.completedFuture(ProbeOutcome.failure("unsupported probe handler (the local engine runs httpGet and tcpSocket probes)"));
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        if (name.equals("HttpTimeoutException")) {
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        }
        if (name.equals("ConnectException")) {
            return "connect: connection refused";
        }
        return root.getMessage() == null ? name : root.getMessage();
    }
}
