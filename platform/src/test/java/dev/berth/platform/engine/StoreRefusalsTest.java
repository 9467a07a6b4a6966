package dev.berth.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.StoreException;
import dev.berth.support.problem.Problem;
import org.junit.jupiter.api.Test;

/** How the API answers the store's refusals (the problem body is built from this EngineException). */
class StoreRefusalsTest {

    @Test
    void aNameThatCannotBeAFileNameIsA400NamingTheField() {
        ObjectKey key = new ObjectKey(ResourceKind.STATEFULSET, "default", "db");
        EngineException e = LocalEngine.translate(new StoreException(StoreException.Reason.INVALID, key, "metadata.namespace",
                "metadata.namespace '..' cannot be a file name: it is a relative path element"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("metadata.namespace");
    }
}
