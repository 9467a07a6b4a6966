package dev.berth.platform.api.manifest;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A container's probes as Kubernetes validates them ({@code pkg/apis/core/validation}: {@code validateProbe},
 * {@code validateHTTPGetAction}), plus one rule of Berth's: the HTTP path is sent as written, so it must be a
 * valid URI path (Kubernetes' kubelet would percent-encode a space; Berth's prober cannot). Pure; thread-safe.
 */
final class ProbeRules {

    private static final Set<String> SCHEMES = Set.of("HTTP", "HTTPS");
    /** {@code IsHTTPHeaderName}: Go's header field names, a stricter subset of RFC 7230 tokens. */
    private static final Pattern HEADER_NAME = Pattern.compile("[-A-Za-z0-9]+");
    /** RFC 3986 path and query characters, percent-escapes complete. */
    private static final Pattern URI_PATH = Pattern.compile("/([-A-Za-z0-9._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*");

    private ProbeRules() {}

    static void probe(Probe p, String path, Set<String> portNames, boolean singleSuccess, Violations v) {
        if (p == null) {
            return;
        }
        int handlers = (p.getHttpGet() != null ? 1 : 0) + (p.getTcpSocket() != null ? 1 : 0) + (p.getExec() != null ? 1 : 0) + (p.getGrpc() != null ? 1 : 0);
        v.require(handlers == 1, path, "must specify exactly one of httpGet, tcpSocket, exec or grpc");
        if (p.getHttpGet() != null) {
            var http = p.getHttpGet();
            port(http.getPort(), path + ".httpGet.port", portNames, v);
            if (http.getScheme() != null) {
                v.require(SCHEMES.contains(http.getScheme()), path + ".httpGet.scheme", "Unsupported value: \"" + http.getScheme() + "\": supported values: \"HTTP\", \"HTTPS\"");
            }
            if (http.getPath() != null) {
                v.require(URI_PATH.matcher(http.getPath()).matches(), path + ".httpGet.path",
                        "must be an absolute URI path: '/' then letters, digits, -._~!$&'()*+,;=:@/? or %XX escapes (no spaces)");
            }
            List<HTTPHeader> headers = http.getHttpHeaders() == null ? List.of() : http.getHttpHeaders();
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.get(i) == null ? null : headers.get(i).getName();
                v.require(name != null && HEADER_NAME.matcher(name).matches(), path + ".httpGet.httpHeaders[" + i + "].name",
                        "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name')");
            }
        }
        if (p.getTcpSocket() != null) {
            port(p.getTcpSocket().getPort(), path + ".tcpSocket.port", portNames, v);
        }
        atLeast(p.getPeriodSeconds(), 1, path + ".periodSeconds", v);
        atLeast(p.getTimeoutSeconds(), 1, path + ".timeoutSeconds", v);
        atLeast(p.getFailureThreshold(), 1, path + ".failureThreshold", v);
        atLeast(p.getSuccessThreshold(), 1, path + ".successThreshold", v);
        if (p.getInitialDelaySeconds() != null && p.getInitialDelaySeconds() < 0) {
            v.add(path + ".initialDelaySeconds", "must not be negative");
        }
        if (singleSuccess && p.getSuccessThreshold() != null && p.getSuccessThreshold() != 1) {
            v.add(path + ".successThreshold", "must be 1 for liveness and startup probes");
        }
    }

    private static void port(IntOrString port, String path, Set<String> portNames, Violations v) {
        if (port == null) {
            v.add(path, "is required");
        } else if (port.getIntVal() != null) {
            v.require(port.getIntVal() >= 1 && port.getIntVal() <= 65535, path, "must be between 1 and 65535");
        } else {
            v.require(portNames.contains(port.getStrVal()), path, "names no port of this container");
        }
    }

    private static void atLeast(Integer value, int min, String path, Violations v) {
        if (value != null && value < min) {
            v.add(path, "must be " + min + " or greater");
        }
    }
}
