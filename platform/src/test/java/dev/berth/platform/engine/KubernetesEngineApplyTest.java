package dev.berth.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply as the API server sees it (fabric8's mock server in expectation mode: its CRUD mode has no
 * apply), asserted on the recorded requests: apply patches as field manager {@code berth}, never with
 * {@code force}; a server-side dry run of every object before anything is written; unchanged when the dry run returns
 * what the cluster has; a conflict refused with nothing written.
 */
@EnableKubernetesMockClient
class KubernetesEngineApplyTest {

    static final String PATH = "/apis/apps/v1/namespaces/berth/deployments/order-service";

    KubernetesMockServer server;
    KubernetesClient client;

    static Deployment deployment(String image) {
        Deployment d = KubernetesEngineTest.deployment(image, 2);
        d.getMetadata().setNamespace("berth");
        return d;
    }

    static Deployment live(String image) {
        Deployment d = deployment(image);
        d.getMetadata().setResourceVersion("41");
        d.getMetadata().setGeneration(3L);
        d.getMetadata().setUid("0b6f5a9e-1111-2222-3333-444455556666");
        d.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("berth").withOperation("Apply").build()));
        return d;
    }

    List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null;) {
            out.add(r);
        }
        return out;
    }

    @Test
    void anUpdateIsAServerSideApplyAsBerthAfterADryRunAndNeverForced() throws Exception {
        server.expect().get().withPath(PATH).andReturn(200, live("reg/order@sha256:aa")).always();
        server.expect().patch().withPath(PATH + "?fieldManager=berth&dryRun=All").andReturn(200, live("reg/order@sha256:bb")).once();
        server.expect().patch().withPath(PATH + "?fieldManager=berth").andReturn(200, live("reg/order@sha256:bb")).once();

        List<ApplyResult> results = new KubernetesEngine(client).apply(List.of(deployment("reg/order@sha256:bb")), "berth", false);

        assertThat(results).extracting(ApplyResult::line).containsExactly("deployment/order-service configured");
        List<RecordedRequest> patches = requests().stream().filter(r -> r.getMethod().equals("PATCH")).toList();
        assertThat(patches).extracting(RecordedRequest::getPath).containsExactly(PATH + "?fieldManager=berth&dryRun=All", PATH + "?fieldManager=berth");
        assertThat(patches).allSatisfy(p -> {
            assertThat(p.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
            assertThat(p.getPath()).doesNotContain("force");
            assertThat(p.getBody().readUtf8()).contains("reg/order@sha256:bb").doesNotContain("managedFields");
        });
    }

    @Test
    void unchangedWhenTheDryRunGivesBackWhatTheClusterHas() throws Exception {
        server.expect().get().withPath(PATH).andReturn(200, live("reg/order@sha256:aa")).always();
        Deployment answered = live("reg/order@sha256:aa");
        answered.getMetadata().setResourceVersion("42"); // server-maintained fields may differ
        answered.getMetadata().setManagedFields(List.of());
        server.expect().patch().withPath(PATH + "?fieldManager=berth&dryRun=All").andReturn(200, answered).always();

        List<ApplyResult> results = new KubernetesEngine(client).apply(List.of(deployment("reg/order@sha256:aa")), "berth", true);

        assertThat(results).extracting(ApplyResult::action).containsExactly(ApplyResult.Action.UNCHANGED);
        assertThat(requests()).extracting(RecordedRequest::getPath).doesNotContain(PATH + "?fieldManager=berth");
    }

    @Test
    void aConflictWithAnotherManagerIsReportedAndNothingIsWritten() throws Exception {
        server.expect().get().withPath(PATH).andReturn(200, live("reg/order@sha256:aa")).always();
        server.expect().patch().withPath(PATH + "?fieldManager=berth&dryRun=All").andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                .withMessage("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas").build()).always();

        assertThatThrownBy(() -> new KubernetesEngine(client).apply(List.of(deployment("reg/order@sha256:bb")), "berth", false))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("conflict with \"kubectl-edit\"").hasMessageContaining("never forces")
                .satisfies(e -> assertThat(((EngineException) e).status()).isEqualTo(409));
        assertThat(requests()).extracting(RecordedRequest::getPath).doesNotContain(PATH + "?fieldManager=berth");
    }
}
