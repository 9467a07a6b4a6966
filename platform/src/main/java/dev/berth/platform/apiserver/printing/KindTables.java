package dev.berth.platform.apiserver.printing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which kinds have their own table: upstream's {@code AddHandlers}, for the kinds Berth serves, assembled in one
 * place. A kind not listed gets the default Name/Created At table. Immutable; thread-safe.
 */
final class KindTables {

    static final KindTables BUILT_IN = new KindTables(List.of(
            PodTable.TABLE,
            WorkloadTables.DEPLOYMENT,
            WorkloadTables.REPLICA_SET,
            WorkloadTables.STATEFUL_SET,
            WorkloadTables.CONTROLLER_REVISION,
            ServiceTables.SERVICE,
            ServiceTables.ENDPOINTS,
            NodeTable.TABLE,
            EventTable.CORE,
            EventTable.EVENTS_V1,
            AutoscalerTable.TABLE,
            AutoscalerTable.TABLE_V1,
            ConfigTables.CONFIG_MAP,
            ConfigTables.SECRET,
            ConfigTables.SERVICE_ACCOUNT,
            ConfigTables.NAMESPACE,
            ConfigTables.PERSISTENT_VOLUME_CLAIM,
            ConfigTables.LEASE,
            RbacTables.ROLE_BINDING,
            RbacTables.CLUSTER_ROLE_BINDING));

    private final Map<String, KindTable<?>> byKind = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException when two tables claim the same apiVersion and kind
     */
    KindTables(List<KindTable<?>> tables) {
        for (KindTable<?> t : tables) {
            if (byKind.putIfAbsent(t.key(), t) != null) {
                throw new IllegalArgumentException("two tables for " + t.key());
            }
        }
    }

    Optional<KindTable<?>> find(String apiVersion, String kind) {
        return Optional.ofNullable(byKind.get(apiVersion + "/" + kind));
    }
}
