package dev.berth.platform.apiserver;

import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@code fieldSelector} ({@code spec.nodeName=n1,status.phase!=Running}) as kube-apiserver parses it
 * ({@code apimachinery/pkg/fields/selector.go}: terms joined by commas, {@code =}, {@code ==} or {@code !=}, backslash
 * escapes) over the fields each kind offers (its {@code GetAttrs}/{@code SelectableFields}: {@code metadata.name} and
 * {@code metadata.namespace} everywhere, {@code spec.nodeName}/{@code status.phase}… on Pods, {@code involvedObject.*}
 * on Events). An unknown field is refused as upstream refuses it. Immutable.
 */
public final class FieldSelector {

    private record Term(String field, String value, boolean equal) {}

    private final ResourceKind kind;
    private final List<Term> terms;
    /** The kind's field getters, built once per selector (not per object matched); empty when there are no terms. */
    private final Map<String, Function<HasMetadata, String>> getters;

    private FieldSelector(ResourceKind kind, List<Term> terms) {
        this.kind = kind;
        this.terms = terms;
        this.getters = terms.isEmpty() ? Map.of() : fields(kind);
    }

    public static FieldSelector everything(ResourceKind kind) {
        return new FieldSelector(kind, List.of());
    }

    /** @throws ApiException 400 for a malformed selector or a field the kind does not offer */
    public static FieldSelector parse(ResourceKind kind, String expression) {
        List<Term> terms = new ArrayList<>();
        if (expression == null || expression.isEmpty()) {
            return everything(kind);
        }
        for (String term : splitUnescaped(expression, ',')) {
            int op = indexOfOperator(term);
            if (op < 0) {
                throw ApiException.badRequest("invalid selector: '" + expression + "'; can't understand '" + term + "'");
            }
            boolean notEqual = term.startsWith("!=", op);
            int valueStart = op + (notEqual || term.startsWith("==", op) ? 2 : 1);
            String field = term.substring(0, op).strip();
            String value = unescape(term.substring(valueStart));
            if (!fields(kind).containsKey(field)) {
                throw ApiException.badRequest("field label not supported: " + field);
            }
            terms.add(new Term(field, value, !notEqual));
        }
        return new FieldSelector(kind, List.copyOf(terms));
    }

    public boolean matches(HasMetadata object) {
        for (Term t : terms) {
            String actual = Objects.toString(getters.get(t.field()).apply(object), "");
            if (actual.equals(t.value()) != t.equal()) {
                return false;
            }
        }
        return true;
    }

    /** The name an exact {@code metadata.name=} term asks for, if any. */
    public Optional<String> exactName() {
        return terms.stream().filter(t -> t.equal() && t.field().equals("metadata.name")).map(Term::value).findFirst();
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    private static Map<String, Function<HasMetadata, String>> fields(ResourceKind kind) {
        Map<String, Function<HasMetadata, String>> f = new LinkedHashMap<>();
        f.put("metadata.name", o -> o.getMetadata().getName());
        if (kind.namespaced()) {
            f.put("metadata.namespace", o -> o.getMetadata().getNamespace());
        }
        switch (kind) {
            case POD -> {
                f.put("spec.nodeName", o -> ((Pod) o).getSpec().getNodeName());
                f.put("spec.restartPolicy", o -> ((Pod) o).getSpec().getRestartPolicy());
                f.put("spec.schedulerName", o -> ((Pod) o).getSpec().getSchedulerName());
                f.put("spec.serviceAccountName", o -> ((Pod) o).getSpec().getServiceAccountName());
                f.put("status.phase", o -> ((Pod) o).getStatus() == null ? null : ((Pod) o).getStatus().getPhase());
                f.put("status.podIP", o -> ((Pod) o).getStatus() == null ? null : ((Pod) o).getStatus().getPodIP());
                f.put("status.nominatedNodeName", o -> ((Pod) o).getStatus() == null ? null : ((Pod) o).getStatus().getNominatedNodeName());
            }
            case EVENT -> {
                f.put("involvedObject.kind", o -> involved(o).map(ObjectReference::getKind).orElse(null));
                f.put("involvedObject.namespace", o -> involved(o).map(ObjectReference::getNamespace).orElse(null));
                f.put("involvedObject.name", o -> involved(o).map(ObjectReference::getName).orElse(null));
                f.put("involvedObject.uid", o -> involved(o).map(ObjectReference::getUid).orElse(null));
                f.put("involvedObject.apiVersion", o -> involved(o).map(ObjectReference::getApiVersion).orElse(null));
                f.put("involvedObject.resourceVersion", o -> involved(o).map(ObjectReference::getResourceVersion).orElse(null));
                f.put("involvedObject.fieldPath", o -> involved(o).map(ObjectReference::getFieldPath).orElse(null));
                f.put("reason", o -> ((Event) o).getReason());
                f.put("reportingComponent", o -> ((Event) o).getReportingComponent());
                f.put("source", o -> ((Event) o).getSource() == null ? null : ((Event) o).getSource().getComponent());
                f.put("type", o -> ((Event) o).getType());
            }
            case NODE -> f.put("spec.unschedulable", o -> Boolean.toString(Boolean.TRUE.equals(((Node) o).getSpec().getUnschedulable())));
            case SECRET -> f.put("type", o -> ((Secret) o).getType());
            case NAMESPACE -> f.put("status.phase", o -> ((Namespace) o).getStatus() == null ? null : ((Namespace) o).getStatus().getPhase());
            case REPLICASET -> f.put("status.replicas", o -> ((ReplicaSet) o).getStatus() == null ? "0"
                    : Objects.toString(((ReplicaSet) o).getStatus().getReplicas(), "0"));
            default -> { }
        }
        return f;
    }

    private static Optional<ObjectReference> involved(HasMetadata o) {
        return Optional.ofNullable(((Event) o).getInvolvedObject());
    }

    private static int indexOfOperator(String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || (c == '!' && term.startsWith("!=", i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitUnescaped(String s, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
