package dev.berth.platform.apiserver;

import java.util.List;

/**
 * Who sent a request, as kube-apiserver's {@code user.Info}: the token's user, uid and groups; an authenticated caller
 * also has {@code system:authenticated}. Immutable.
 */
public record Caller(String name, String uid, List<String> groups) {

    public static final String AUTHENTICATED = "system:authenticated";

    public Caller {
        groups = List.copyOf(groups);
    }

    /** An authenticated user: its groups plus {@code system:authenticated} (upstream's {@code AuthenticatedGroupAdder}). */
    public static Caller authenticated(String name, String uid, List<String> groups) {
        if (groups.contains(AUTHENTICATED)) {
            return new Caller(name, uid, groups);
        }
        List<String> all = new java.util.ArrayList<>(groups);
        all.add(AUTHENTICATED);
        return new Caller(name, uid, all);
    }
}
