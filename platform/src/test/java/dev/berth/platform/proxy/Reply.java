package dev.berth.platform.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * What a test client got for one request: the status and headers, or the error when the exchange
 * broke (status 0).
 *
 * <p>The exchange runs on a Vert.x context: composed from the test thread, a callback could be
 * attached after the response arrived and its body would be lost.
 */
record Reply(int status, String replica, String revision, String contentType, String body, Throwable error) {

    /** GETs {@code path} from 127.0.0.1:port; never fails, a broken exchange becomes an error reply. */
    static Future<Reply> get(Vertx vertx, HttpClient client, int port, String path) {
        return send(vertx, client, HttpMethod.GET, port, path);
    }

    /** Sends {@code method path} (with a small body for POST) to 127.0.0.1:port; never fails, like {@link #get}. */
    static Future<Reply> send(Vertx vertx, HttpClient client, HttpMethod method, int port, String path) {
        Promise<Reply> reply = Promise.promise();
        vertx.runOnContext(v -> exchange(client, method, port, path).onComplete(reply));
        return reply.future();
    }

    private static Future<Reply> exchange(HttpClient client, HttpMethod method, int port, String path) {
        return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path))
                .compose(request -> (method == HttpMethod.POST ? request.send("{\"order\":1}") : request.send()).compose(response -> response.body().map(body -> new Reply(response.statusCode(),
                        response.getHeader(ExchangeInterceptor.REPLICA_HEADER),
                        response.getHeader(ExchangeInterceptor.REVISION_HEADER),
                        response.getHeader("Content-Type"),
                        body.toString(), null))))
                .recover(error -> Future.succeededFuture(new Reply(0, null, null, null, null, error)));
    }

    boolean ok() {
        return status == 200;
    }
}
