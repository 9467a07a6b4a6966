package dev.berth.platform.api.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The core's roles, each including the ones below it: viewer reads; deployer also applies, scales, deletes and
 * rolls out workloads; admin also operates nodes and the core itself.
 */
public enum Role {
    VIEWER(Set.of(Names.VIEWER)),
    DEPLOYER(Set.of(Names.VIEWER, Names.DEPLOYER)),
    ADMIN(Set.of(Names.VIEWER, Names.DEPLOYER, Names.ADMIN));

    /** Role names for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String VIEWER = "viewer";
        public static final String DEPLOYER = "deployer";
        public static final String ADMIN = "admin";

        private Names() {}
    }

    private final Set<String> grants;

    Role(Set<String> grants) {
        this.grants = grants;
    }

    /** The role names a holder of this role has (itself and every lesser role). */
    public Set<String> grants() {
        return grants;
    }

    public static Optional<Role> parse(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
