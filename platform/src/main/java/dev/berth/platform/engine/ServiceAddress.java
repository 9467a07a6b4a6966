package dev.berth.platform.engine;

/**
 * A Service's address on this machine ({@code http://127.0.0.1:PORT}); closing it releases what it holds (a
 * port-forward on a cluster, nothing locally).
 */
public record ServiceAddress(String url, AutoCloseable release) implements AutoCloseable {

    public static ServiceAddress fixed(String url) {
        return new ServiceAddress(url, () -> { });
    }

    @Override
    public void close() throws Exception {
        release.close();
    }
}
