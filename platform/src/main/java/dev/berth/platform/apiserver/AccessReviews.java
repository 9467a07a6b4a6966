package dev.berth.platform.apiserver;

import dev.berth.platform.apiserver.rbac.Attributes;
import dev.berth.platform.apiserver.rbac.RbacAuthorizer;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatus;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code authorization.k8s.io/v1} self reviews, what {@code kubectl auth can-i} asks (upstream's
 * {@code pkg/registry/authorization/selfsubjectaccessreview/rest.go} and {@code selfsubjectrulesreview/rest.go}):
 * created, never stored, answered with the caller's own decision — {@code status.allowed} and the authorizer's reason —
 * or the rules RBAC grants it in a namespace. Thread-safe.
 */
final class AccessReviews {

    static final String GROUP = "authorization.k8s.io";
    static final String ACCESS = "selfsubjectaccessreviews";
    static final String RULES = "selfsubjectrulesreviews";
    private static final Set<String> RESOURCES = Set.of(ACCESS, RULES);

    private final RbacAuthorizer authorizer;

    AccessReviews(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Whether a request is for one of the reviews (served here, not by the store). */
    static boolean serves(RequestInfo info) {
        return info.group().equals(GROUP) && info.version().equals("v1") && RESOURCES.contains(info.resource()) && info.namespace().isEmpty()
                && info.name().isEmpty();
    }

    /** The review with its status. */
    SelfSubjectAccessReview access(Caller caller, SelfSubjectAccessReview review) {
        ResourceAttributes resource = review.getSpec() == null ? null : review.getSpec().getResourceAttributes();
        NonResourceAttributes nonResource = review.getSpec() == null ? null : review.getSpec().getNonResourceAttributes();
        if ((resource == null) == (nonResource == null)) {
            throw ApiException.invalid("SelfSubjectAccessReview.authorization.k8s.io", new ApiException.Resource(GROUP, ACCESS), "",
                    List.of(ApiException.FieldCause.invalid("spec.resourceAttributes",
                            "exactly one of nonResourceAttributes or resourceAttributes must be specified")));
        }
        Attributes attributes = resource != null
                ? Attributes.resource(caller, str(resource.getVerb()), str(resource.getNamespace()), str(resource.getGroup()),
                        str(resource.getResource()), str(resource.getSubresource()), str(resource.getName()))
                : Attributes.nonResource(caller, str(nonResource.getVerb()), str(nonResource.getPath()));
        RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
        SubjectAccessReviewStatus status = new SubjectAccessReviewStatus();
        status.setAllowed(decision.allowed());
        status.setReason(decision.reason().isEmpty() ? null : decision.reason());
        review.setStatus(status);
        return review;
    }

    /** The review with the rules the caller has in its namespace: each rule as a resource rule, a non-resource rule, or both. */
    SelfSubjectRulesReview rules(Caller caller, SelfSubjectRulesReview review) {
        String namespace = review.getSpec() == null ? "" : str(review.getSpec().getNamespace());
        if (namespace.isEmpty()) {
            throw ApiException.badRequest("no namespace on request");
        }
        RbacAuthorizer.Rules rules = authorizer.rulesFor(caller, namespace);
        List<ResourceRule> resourceRules = new ArrayList<>();
        List<NonResourceRule> nonResourceRules = new ArrayList<>();
        for (PolicyRule r : rules.rules()) {
            if (r.getResources() != null && !r.getResources().isEmpty()) {
                resourceRules.add(new ResourceRule(r.getApiGroups(), r.getResourceNames(), r.getResources(), r.getVerbs()));
            }
            if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
                nonResourceRules.add(new NonResourceRule(r.getNonResourceURLs(), r.getVerbs()));
            }
        }
        SubjectRulesReviewStatus status = new SubjectRulesReviewStatus();
        status.setResourceRules(resourceRules);
        status.setNonResourceRules(nonResourceRules);
        status.setIncomplete(false);
        status.setEvaluationError(rules.errors().isEmpty() ? null : String.join(", ", rules.errors()));
        review.setStatus(status);
        return review;
    }

    private static String str(String s) {
        return Optional.ofNullable(s).orElse("");
    }
}
