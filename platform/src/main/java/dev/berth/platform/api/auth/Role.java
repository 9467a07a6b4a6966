package dev.berth.platform.api.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The core's roles, each including the ones below it: discovery lists Pods and reads the Prometheus service discovery
 * (what a Prometheus needs, nothing else); viewer reads every object except Secrets (Kubernetes' {@code view}
 * ClusterRole); deployer also reads Secrets, applies, scales, deletes and rolls out workloads ({@code edit}); admin
 * also operates nodes and the core itself.
 */
public enum Role {
    DISCOVERY(Set.of(Names.DISCOVERY)),
    VIEWER(Set.of(Names.DISCOVERY, Names.VIEWER)),
    DEPLOYER(Set.of(Names.DISCOVERY, Names.VIEWER, Names.DEPLOYER)),
    ADMIN(Set.of(Names.DISCOVERY, Names.VIEWER, Names.DEPLOYER, Names.ADMIN));

    /** Role names for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String DISCOVERY = "discovery";
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

    /** {@code discovery|viewer|deployer|admin}, for messages. */
    static String namesList() {
        return Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
    }
}
