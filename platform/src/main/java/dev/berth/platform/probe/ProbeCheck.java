package dev.berth.platform.probe;

import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.Probe;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Performs one HTTP or TCP probe against 127.0.0.1, as kubelet does: HTTP succeeds on a status from 200 to 399
 * within the timeout (HTTPS without certificate checks); TCP succeeds when a connection opens. The {@code Host}
 * header may be set by the probe's {@code httpHeaders}, as in Kubernetes (Vert.x's client allows it, the JDK's does
 * not). Never throws: whatever goes wrong, from a scheme other than HTTP/HTTPS to an unparsable path, is a failed
 * probe whose message says why, so the prober keeps probing every period. Thread-safe.
 */
public final class ProbeCheck {

    private final Vertx vertx;
    private final Executor executor;
    private volatile HttpClient http;
    private volatile HttpClient https;

    public ProbeCheck(Vertx vertx, Executor executor) {
        this.vertx = vertx;
        this.executor = executor;
    }

    /** @param port the host port the probed container port maps to */
    public CompletableFuture<ProbeOutcome> run(Probe probe, int port) {
        try {
            Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1 ? 1 : probe.getTimeoutSeconds());
            if (probe.getHttpGet() != null) {
                return httpGet(probe.getHttpGet(), port, timeout);
            }
            if (probe.getTcpSocket() != null) {
                return tcp(port, timeout);
            }
            return CompletableFuture.completedFuture(ProbeOutcome.failure("unsupported probe handler (the local engine runs httpGet and tcpSocket probes)"));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ProbeOutcome.failure("probe error: " + e.getMessage()));
        }
    }

    private CompletableFuture<ProbeOutcome> httpGet(HTTPGetAction get, int port, Duration timeout) {
        String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase(Locale.ROOT);
        String path = requestPath(get.getPath());
        String url = scheme + "://127.0.0.1:" + port + path;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            // Go's http.Client error, which kubelet reports as the probe's failure
            return CompletableFuture.completedFuture(ProbeOutcome.failure("Get \"" + url + "\": unsupported protocol scheme \"" + scheme + "\""));
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost("127.0.0.1").setPort(port).setURI(path)
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("User-Agent", "berth-probe/1.0").putHeader("Accept", "*/*");
        HostAndPort authority = null;
        for (HTTPHeader h : get.getHttpHeaders() == null ? List.<HTTPHeader>of() : get.getHttpHeaders()) {
            if (h.getName() == null || h.getName().isBlank()) {
                continue;
            }
            if (h.getName().equalsIgnoreCase("Host")) {
                authority = HostAndPort.parseAuthority(h.getValue() == null ? "" : h.getValue(), -1);
                if (authority == null) {
                    return CompletableFuture.completedFuture(ProbeOutcome.failure("Get \"" + url + "\": invalid Host header \"" + h.getValue() + "\""));
                }
            } else {
                request.putHeader(h.getName(), h.getValue() == null ? "" : h.getValue());
            }
        }
        HostAndPort host = authority;
        CompletableFuture<ProbeOutcome> outcome = new CompletableFuture<>();
        client(scheme.equals("https")).request(request)
                .compose(r -> {
                    if (host != null) {
                        r.authority(host); // the Host header only: the connection still goes to the server above
                    }
                    return r.send().compose(response -> response.body().map(body -> response));
                })
                .onComplete(done -> {
                    if (done.succeeded()) {
                        HttpClientResponse r = done.result();
                        outcome.complete(r.statusCode() >= 200 && r.statusCode() < 400 ? ProbeOutcome.ok()
                                : ProbeOutcome.failure("HTTP probe failed with statuscode: " + r.statusCode()));
                    } else {
                        outcome.complete(ProbeOutcome.failure("Get \"" + url + "\": " + cause(done.cause())));
                    }
                });
        return outcome.completeOnTimeout(ProbeOutcome.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
                timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The path as Go's url package sends it: a parsable path/query kept, anything else escaped as one path ({@code /a b} → {@code /a%20b}). */
    static String requestPath(String path) {
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        try {
            return new URI(p).toASCIIString();
        } catch (URISyntaxException notAUri) {
            try {
                return new URI(null, null, p, null).toASCIIString();
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("path '" + path + "' cannot be requested", e);
            }
        }
    }

    private CompletableFuture<ProbeOutcome> tcp(int port, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
                return ProbeOutcome.ok();
            } catch (IOException | RuntimeException e) {
                return ProbeOutcome.failure("dial tcp 127.0.0.1:" + port + ": " + e.getMessage());
            }
        }, executor);
    }

    /** Created on first use: building a client with TLS is not something the core's start-up need pay for. */
    private HttpClient client(boolean tls) {
        HttpClient c = tls ? https : http;
        if (c == null) {
            synchronized (this) {
                c = tls ? https : http;
                if (c == null) {
                    HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setMaxRedirects(0);
                    if (tls) {
                        options.setSsl(true).setTrustAll(true).setVerifyHost(false); // kubelet does not verify probe certificates
                    }
                    c = vertx.createHttpClient(options);
                    if (tls) {
                        https = c;
                    } else {
                        http = c;
                    }
                }
            }
        }
        return c;
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.net.ConnectException || root.getClass().getSimpleName().contains("ConnectException")) {
            return "connect: connection refused";
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
