package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.apiserver.Caller;
import dev.berth.platform.apiserver.RequestInfo;

/**
 * What an authorizer decides on, as upstream's {@code authorizer.AttributesRecord}: who, which verb, and either a
 * resource (group, resource, subresource, namespace, name) or a non-resource path. Immutable.
 */
public record Attributes(Caller user, String verb, boolean resourceRequest, String path, String namespace, String apiGroup,
        String resource, String subresource, String name) {

    public static Attributes of(Caller user, RequestInfo info) {
        return new Attributes(user, info.verb(), info.resourceRequest(), info.path(), info.namespace(), info.group(), info.resource(),
                info.subresource(), info.name());
    }

    public static Attributes resource(Caller user, String verb, String namespace, String apiGroup, String resource, String subresource,
            String name) {
        return new Attributes(user, verb, true, "", namespace, apiGroup, resource, subresource, name);
    }

    public static Attributes nonResource(Caller user, String verb, String path) {
        return new Attributes(user, verb, false, path, "", "", "", "", "");
    }
}
