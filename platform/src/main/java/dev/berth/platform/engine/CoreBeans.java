package dev.berth.platform.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The core's shared, stateless-or-thread-safe building blocks, made once. */
@Singleton
public class CoreBeans {

    @Produces
    @Singleton
    KubernetesSerialization serialization() {
        // fabric8's configuration (its modules, its unmatched-field handling) on a mapper whose bean accessors are
        // Blackbird's generated lambdas: the store, the lists, watch events and every request body go through it
        return new KubernetesSerialization(new ObjectMapper().registerModule(new BlackbirdModule()), true);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ObjectStore store(CoreConfig config, KubernetesSerialization json, Clock clock) {
        return new ObjectStore(config.stateDir().resolve("store"), json, clock, config.limits().maxEvents());
    }

    void closeStore(@Disposes ObjectStore store) {
        store.close();
    }

    @Produces
    @Singleton
    EventRecorder events(ObjectStore store, Clock clock) {
        return new EventRecorder(store, clock);
    }

    @Produces
    @Singleton
    TokenFile tokens(CoreConfig config) {
        return new TokenFile(config.auth().tokensFile().orElse(config.stateDir().resolve("tokens")));
    }

    @Produces
    @Singleton
    ManifestValidator validator(CoreConfig config) {
        return ManifestValidator.withMaxReplicas(config.limits().maxReplicas());
    }

}
