package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.apiserver.ApiException;
import dev.berth.platform.apiserver.Caller;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Kubernetes' RBAC authorizer ({@code plugin/pkg/auth/authorizer/rbac/rbac.go} over the {@code DefaultRuleResolver}
 * of {@code pkg/registry/rbac/validation/rule.go}): a request is allowed when a rule of a role bound to the caller
 * allows it — ClusterRoleBindings everywhere, RoleBindings (to a Role of their namespace or to a ClusterRole) only in
 * their namespace. Subjects are Users by name, Groups by membership and ServiceAccounts as the user
 * {@code system:serviceaccount:<namespace>:<name>} (the binding's namespace when the subject names none). Deny by
 * default; a binding whose role cannot be found contributes its error to the denial's reason. Thread-safe when its
 * {@link RbacObjects} is.
 */
public final class RbacAuthorizer {

    private final RbacObjects objects;

    public RbacAuthorizer(RbacObjects objects) {
        this.objects = objects;
    }

    /** @param reason {@code RBAC: allowed by ...} when allowed; empty, or the resolution errors, when not */
    public record Decision(boolean allowed, String reason) {}

    /** The rules that apply to a caller in a namespace ("" for cluster-wide rules only), and what could not be resolved. */
    public record Rules(List<PolicyRule> rules, List<String> errors) {}

    public Decision authorize(Attributes request) {
        List<String> errors = new ArrayList<>();
        Optional<String> allowedBy = visit(request.user(), request.namespace(), errors, (source, rule) -> PolicyRules.allows(request, rule));
        if (allowedBy.isPresent()) {
            return new Decision(true, "RBAC: allowed by " + allowedBy.get());
        }
        return new Decision(false, errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
    }

    /** @throws ApiException 403 worded as kube-apiserver words an RBAC denial (its reason after a colon, if any) */
    public void check(Attributes request) {
        Decision d = authorize(request);
        if (!d.allowed()) {
            String why = Denial.message(request) + (d.reason().isEmpty() ? "" : ": " + d.reason());
            throw ApiException.forbidden(new ApiException.Resource(request.apiGroup(), request.resource()), request.name(), why);
        }
    }

    public Rules rulesFor(Caller user, String namespace) {
        List<String> errors = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>();
        visit(user, namespace, errors, (source, rule) -> {
            rules.add(rule);
            return false;
        });
        return new Rules(rules, errors);
    }

    /** The rules of the role a binding in {@code bindingNamespace} refers to; empty when it cannot be found. */
    public Optional<List<PolicyRule>> roleRefRules(RoleRef ref, String bindingNamespace) {
        return roleRules(ref, bindingNamespace, new ArrayList<>());
    }

    /** Which rule a visitor stops at. */
    private interface Visitor {
        boolean stopAt(String source, PolicyRule rule);
    }

    /** Upstream's {@code VisitRulesFor}: the source describing the first rule the visitor stops at, if any. */
    private Optional<String> visit(Caller user, String namespace, List<String> errors, Visitor visitor) {
        for (ClusterRoleBinding b : objects.clusterRoleBindings()) {
            Optional<Subject> subject = appliesTo(user, b.getSubjects(), "");
            if (subject.isEmpty()) {
                continue;
            }
            Optional<List<PolicyRule>> rules = roleRules(b.getRoleRef(), "", errors);
            String source = "ClusterRoleBinding \"" + b.getMetadata().getName() + "\" of " + describe(b.getRoleRef()) + " to "
                    + describe(subject.get(), "");
            for (PolicyRule rule : rules.orElse(List.of())) {
                if (visitor.stopAt(source, rule)) {
                    return Optional.of(source);
                }
            }
        }
        if (namespace.isEmpty()) {
            return Optional.empty();
        }
        for (RoleBinding b : objects.roleBindings(namespace)) {
            Optional<Subject> subject = appliesTo(user, b.getSubjects(), namespace);
            if (subject.isEmpty()) {
                continue;
            }
            Optional<List<PolicyRule>> rules = roleRules(b.getRoleRef(), namespace, errors);
            String source = "RoleBinding \"" + b.getMetadata().getName() + "/" + namespace + "\" of " + describe(b.getRoleRef()) + " to "
                    + describe(subject.get(), namespace);
            for (PolicyRule rule : rules.orElse(List.of())) {
                if (visitor.stopAt(source, rule)) {
                    return Optional.of(source);
                }
            }
        }
        return Optional.empty();
    }

    /** Upstream's {@code GetRoleReferenceRules}; a missing role adds its NotFound text to {@code errors}. */
    private Optional<List<PolicyRule>> roleRules(RoleRef ref, String bindingNamespace, List<String> errors) {
        String kind = ref == null ? "" : String.valueOf(ref.getKind());
        String name = ref == null ? "" : String.valueOf(ref.getName());
        switch (kind) {
            case "Role" -> {
                var role = objects.role(bindingNamespace, name);
                if (role.isEmpty()) {
                    errors.add("role.rbac.authorization.k8s.io \"" + name + "\" not found");
                }
                return role.map(r -> rules(r.getRules()));
            }
            case "ClusterRole" -> {
                var role = objects.clusterRole(name);
                if (role.isEmpty()) {
                    errors.add("clusterrole.rbac.authorization.k8s.io \"" + name + "\" not found");
                }
                return role.map(r -> rules(r.getRules()));
            }
            default -> {
                errors.add("unsupported role reference kind: \"" + kind + "\"");
                return Optional.empty();
            }
        }
    }

    private static List<PolicyRule> rules(List<PolicyRule> rules) {
        return rules == null ? List.of() : rules;
    }

    /** The first subject that is the caller, if any (upstream's {@code appliesTo}). */
    static Optional<Subject> appliesTo(Caller user, List<Subject> subjects, String namespace) {
        if (subjects == null) {
            return Optional.empty();
        }
        return subjects.stream().filter(s -> appliesToUser(user, s, namespace)).findFirst();
    }

    static boolean appliesToUser(Caller user, Subject subject, String namespace) {
        String name = String.valueOf(subject.getName());
        return switch (String.valueOf(subject.getKind())) {
            case "User" -> user.name().equals(name);
            case "Group" -> user.groups().contains(name);
            case "ServiceAccount" -> {
                String saNamespace = subject.getNamespace() == null || subject.getNamespace().isEmpty() ? namespace : subject.getNamespace();
                yield !saNamespace.isEmpty() && user.name().equals(ServiceAccounts.userName(saNamespace, name));
            }
            default -> false;
        };
    }

    private static String describe(RoleRef ref) {
        return ref.getKind() + " \"" + ref.getName() + "\"";
    }

    private static String describe(Subject s, String bindingNamespace) {
        if ("ServiceAccount".equals(s.getKind())) {
            String ns = s.getNamespace() == null || s.getNamespace().isEmpty() ? bindingNamespace : s.getNamespace();
            return s.getKind() + " \"" + s.getName() + "/" + ns + "\"";
        }
        return s.getKind() + " \"" + s.getName() + "\"";
    }

    /** {@code utilerrors.NewAggregate(...).Error()}: one error as it is, several as {@code [a, b]}. */
    private static String aggregate(List<String> errors) {
        List<String> distinct = errors.stream().distinct().toList();
        return distinct.size() == 1 ? distinct.get(0) : distinct.stream().collect(Collectors.joining(", ", "[", "]"));
    }
}
