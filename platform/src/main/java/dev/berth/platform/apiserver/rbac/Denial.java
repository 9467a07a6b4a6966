package dev.berth.platform.apiserver.rbac;

/**
 * How kube-apiserver words a denied request ({@code endpoints/handlers/responsewriters/errors.go}
 * {@code forbiddenMessage}). Pure.
 */
public final class Denial {

    private Denial() {}

    /** {@code User "x" cannot list resource "pods" in API group "" in the namespace "default"}, or {@code ... cannot get path "/apis"}. */
    public static String message(Attributes a) {
        String user = "User \"" + a.user().name() + "\"";
        if (!a.resourceRequest()) {
            return user + " cannot " + a.verb() + " path \"" + a.path() + "\"";
        }
        String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        String scope = a.namespace().isEmpty() ? "at the cluster scope" : "in the namespace \"" + a.namespace() + "\"";
        return user + " cannot " + a.verb() + " resource \"" + resource + "\" in API group \"" + a.apiGroup() + "\" " + scope;
    }
}
