package dev.berth.platform.apiserver.rbac;

import java.util.List;

/** How a ServiceAccount appears as a user: upstream's {@code serviceaccount.MakeUsername} and its groups. Pure. */
public final class ServiceAccounts {

    public static final String PREFIX = "system:serviceaccount:";
    public static final String ALL_GROUP = "system:serviceaccounts";

    private ServiceAccounts() {}

    /** {@code system:serviceaccount:<namespace>:<name>}. */
    public static String userName(String namespace, String name) {
        return PREFIX + namespace + ":" + name;
    }

    /** {@code system:serviceaccounts} and {@code system:serviceaccounts:<namespace>}. */
    public static List<String> groups(String namespace) {
        return List.of(ALL_GROUP, ALL_GROUP + ":" + namespace);
    }
}
