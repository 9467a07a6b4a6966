package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment's revisions as its ReplicaSets record them (kubectl's {@code rollout history} and {@code undo}):
 * revision number, change-cause, pod template. Shared by every engine, since a Kubernetes cluster keeps history
 * the same way. Pure.
 */
public final class RolloutHistory {

    private RolloutHistory() {}

    public record Revision(long number, String changeCause, ReplicaSet replicaSet) {}

    /** Oldest first; ReplicaSets without a revision number are not history. */
    public static List<Revision> of(List<ReplicaSet> owned) {
        return owned.stream().filter(rs -> DeploymentPlanner.revision(rs) > 0)
                .map(rs -> new Revision(DeploymentPlanner.revision(rs), changeCause(rs), rs))
                .sorted(Comparator.comparingLong(Revision::number)).toList();
    }

    /**
     * The revision {@code kubectl rollout undo [--to-revision N]} goes back to: N, or with 0 the one before the
     * newest.
     *
     * @throws IllegalArgumentException with kubectl's wording when there is no such revision
     */
    public static Revision undoTarget(Deployment d, List<ReplicaSet> owned, long toRevision) {
        List<Revision> history = of(owned);
        if (toRevision < 0) {
            throw new IllegalArgumentException("revision must be 0 (the previous one) or positive, was " + toRevision);
        }
        if (toRevision == 0) {
            if (history.size() < 2) {
                throw new IllegalArgumentException("no rollout history found for deployment \"" + d.getMetadata().getName() + "\"");
            }
            return history.get(history.size() - 2);
        }
        Optional<Revision> found = history.stream().filter(r -> r.number() == toRevision).findFirst();
        return found.orElseThrow(() -> new IllegalArgumentException("unable to find specified revision " + toRevision + " in history"));
    }

    /** The ReplicaSet's pod template as the Deployment would declare it: a copy without {@code pod-template-hash}. */
    public static PodTemplateSpec templateOf(ReplicaSet rs, KubernetesSerialization json) {
        PodTemplateSpec template = json.clone(rs.getSpec().getTemplate());
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
            labels.remove(PodTemplates.TEMPLATE_HASH_LABEL);
            template.getMetadata().setLabels(labels);
        }
        return template;
    }

    /** The Deployment takes the revision's change-cause (or loses its own if the revision had none), as kubectl's undo does. */
    public static void copyChangeCause(ReplicaSet from, Deployment to) {
        Map<String, String> a = new LinkedHashMap<>(to.getMetadata().getAnnotations() == null ? Map.of() : to.getMetadata().getAnnotations());
        String cause = changeCause(from);
        if (cause == null) {
            a.remove(DeploymentPlanner.CHANGE_CAUSE_ANNOTATION);
        } else {
            a.put(DeploymentPlanner.CHANGE_CAUSE_ANNOTATION, cause);
        }
        to.getMetadata().setAnnotations(a);
    }

    /** kubectl rollout restart: a pod-template annotation that changes the template, hence a new revision. */
    public static void stampRestart(Deployment d, java.time.Instant at) {
        var meta = d.getSpec().getTemplate().getMetadata();
        Map<String, String> a = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        a.put(RESTARTED_AT_ANNOTATION, at.toString());
        meta.setAnnotations(a);
    }

    public static final String RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

    /** The deployment controller's maxRevHistoryLengthInChars: about 100 revisions. */
    public static final int MAX_REVISION_HISTORY_CHARS = 2000;

    /**
     * The {@code deployment.kubernetes.io/revision-history} of a ReplicaSet that becomes the newest revision again
     * (undo, rollback), as {@code SetNewReplicaSetAnnotations}: its previous revision appended, the oldest entries
     * dropped so the whole stays within {@code limitInChars}; when even the newest alone does not fit, unchanged.
     *
     * <p>Worked example, limit 5: none + "11" → "11"; "11" + "12" → "11,12"; "11,12" + "13" → "12,13".
     *
     * @param history the annotation's value, null when absent
     * @return the new value
     */
    public static String revisionHistory(String history, String previousRevision, int limitInChars) {
        if (history == null || history.isEmpty()) {
            return previousRevision;
        }
        List<String> revisions = List.of(history.split(","));
        int length = history.length() + previousRevision.length() + 1;
        int start = 0;
        while (length > limitInChars && start < revisions.size()) {
            length -= revisions.get(start).length() + 1;
            start++;
        }
        if (length > limitInChars) {
            return history;
        }
        List<String> kept = new java.util.ArrayList<>(revisions.subList(start, revisions.size()));
        kept.add(previousRevision);
        return String.join(",", kept);
    }

    static String changeCause(ReplicaSet rs) {
        return rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(DeploymentPlanner.CHANGE_CAUSE_ANNOTATION);
    }
}
