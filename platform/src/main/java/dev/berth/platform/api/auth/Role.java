package dev.berth.platform.api.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles of the core's own {@code /berth/v1} endpoints ({@code @RolesAllowed}), each including the ones below it:
 * discovery reads the Prometheus service discovery; viewer also searches the shipped logs; admin has nothing more
 * there (nodes are operated through the Kubernetes API). A deployer needs nothing more there than a viewer (its writes are the Kubernetes API's, authorized by RBAC). A
 * caller's roles are derived from what RBAC allows it (see {@code apiserver.rbac.EndpointRoles}). They were also the
 * roles of the core's former token file format; a token converted from it is put in the role's {@link #group()}, which
 * the bootstrap policy binds to the matching ClusterRole.
 */
public enum Role {
    DISCOVERY(Set.of(Names.DISCOVERY), "berth:discovery"),
    VIEWER(Set.of(Names.DISCOVERY, Names.VIEWER), "berth:viewers"),
    DEPLOYER(Set.of(Names.DISCOVERY, Names.VIEWER), "berth:deployers"),
    ADMIN(Set.of(Names.DISCOVERY, Names.VIEWER, Names.ADMIN), TokenFile.MASTERS_GROUP);

    /** Role names for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String DISCOVERY = "discovery";
        public static final String VIEWER = "viewer";
        public static final String ADMIN = "admin";

        private Names() {}
    }

    private final Set<String> grants;
    private final String group;

    Role(Set<String> grants, String group) {
        this.grants = grants;
        this.group = group;
    }

    /** The role names a holder of this role has (itself and every lesser role). */
    public Set<String> grants() {
        return grants;
    }

    /** The group a token of this role in the former token file format becomes a member of. */
    public String group() {
        return group;
    }

    /** The groups of a converted token of this role. */
    List<String> groups() {
        return List.of(group);
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
