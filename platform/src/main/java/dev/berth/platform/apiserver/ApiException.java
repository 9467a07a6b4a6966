package dev.berth.platform.apiserver;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A refused API request as kube-apiserver answers it: a {@code metav1.Status} with code, reason, message and details.
 * Built only by the constructors below, which word their messages as {@code apimachinery/pkg/api/errors/errors.go}
 * does, so kubectl prints what users know ({@code pods "web" not found}).
 */
public final class ApiException extends RuntimeException {

    private final transient Status status;

    private ApiException(Status status) {
        super(status.getMessage(), null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.getCode();
    }

    /** @param resource the qualified resource, {@code pods} or {@code deployments.apps} */
    public static ApiException notFound(Resource resource, String name) {
        return of(404, "NotFound", resource + " \"" + name + "\" not found", resource, name, List.of());
    }

    public static ApiException alreadyExists(Resource resource, String name) {
        return of(409, "AlreadyExists", resource + " \"" + name + "\" already exists", resource, name, List.of());
    }

    public static ApiException conflict(Resource resource, String name, String why) {
        return of(409, "Conflict", "Operation cannot be fulfilled on " + resource + " \"" + name + "\": " + why, resource, name, List.of());
    }

    /**
     * A server-side apply refused for fields other managers own, as {@code errors.NewApplyConflict}: 409 Conflict, no
     * name, one {@code FieldManagerConflict} cause per field (its path, and the manager in the message).
     */
    public static ApiException applyConflict(String message, List<FieldCause> causes) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(409).withReason("Conflict").withMessage(message)
                .withNewDetails().withCauses(causes.stream().map(c -> new StatusCause(c.field(), c.detail(), c.type())).toList())
                .endDetails().build());
    }

    /**
     * @param qualifiedKind {@code Deployment.apps} or {@code Pod}
     * @param causes        one per field: its path and what is wrong
     */
    public static ApiException invalid(String qualifiedKind, Resource resource, String name, List<FieldCause> causes) {
        String list = causes.stream().map(FieldCause::text).collect(Collectors.joining(", "));
        String message = qualifiedKind + " \"" + name + "\" is invalid: " + (causes.size() == 1 ? list : "[" + list + "]");
        List<StatusCause> statusCauses = causes.stream()
                .map(c -> new StatusCause(c.field(), c.text(), c.type())).toList();
        Status s = base(422, "Invalid", message, resource, name, statusCauses);
        s.getDetails().setKind(qualifiedKind.contains(".") ? qualifiedKind.substring(0, qualifiedKind.indexOf('.')) : qualifiedKind);
        return new ApiException(s);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(400).withReason("BadRequest").withMessage(message).build());
    }

    /** @param name empty for a request on a collection; @param resource empty (plural "") for a non-resource path */
    public static ApiException forbidden(Resource resource, String name, String why) {
        String message = resource.plural().isEmpty() ? "forbidden: " + why
                : (name.isEmpty() ? resource.toString() : resource + " \"" + name + "\"") + " is forbidden: " + why;
        return of(403, "Forbidden", message, resource, name, List.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(401).withReason("Unauthorized").withMessage("Unauthorized").build());
    }

    public static ApiException methodNotSupported(Resource resource, String action) {
        return of(405, "MethodNotAllowed", action + " is not supported on resources of kind \"" + resource + "\"", resource, "", List.of());
    }

    /** The resourceVersion a watch or list asked for is older than what the server still has. */
    public static ApiException expired(String message) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(410).withReason("Expired").withMessage(message).build());
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(413).withReason("RequestEntityTooLarge")
                .withMessage("Request entity too large: " + message).build());
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(415).withReason("UnsupportedMediaType")
                .withMessage("the body of the request was in an unknown format - accepted media types include: application/json, "
                        + "application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"
                        + (contentType == null ? "" : " (got " + contentType + ")")).build());
    }

    /** A path under /api or /apis naming no resource the server has. */
    public static ApiException noSuchResource() {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(404).withReason("NotFound")
                .withMessage("the server could not find the requested resource").build());
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(429).withReason("TooManyRequests").withMessage(message).build());
    }

    /** A refusal another component worded (a patch engine's 400/413/415/422), with kube-apiserver's reason for its code. */
    public static ApiException withCode(int code, String message) {
        String reason = switch (code) {
            case 400 -> "BadRequest";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            default -> "InternalError";
        };
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build());
    }

    public static ApiException internal(String message) {
        return new ApiException(new StatusBuilder().withStatus("Failure").withCode(500).withReason("InternalError")
                .withMessage("Internal error occurred: " + message).build());
    }

    private static ApiException of(int code, String reason, String message, Resource resource, String name, List<StatusCause> causes) {
        return new ApiException(base(code, reason, message, resource, name, causes));
    }

    private static Status base(int code, String reason, String message, Resource resource, String name, List<StatusCause> causes) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                .withNewDetails().withName(name.isEmpty() ? null : name).withGroup(resource.group().isEmpty() ? null : resource.group())
                .withKind(resource.plural()).withCauses(causes.isEmpty() ? null : causes).endDetails().build();
    }

    /** A resource as errors name it: {@code pods}, {@code deployments.apps}. */
    public record Resource(String group, String plural) {
        @Override
        public String toString() {
            return group.isEmpty() ? plural : plural + "." + group;
        }
    }

    /** One field at fault; {@code type} is upstream's cause type ({@code FieldValueInvalid}, {@code FieldValueRequired} …). */
    public record FieldCause(String type, String field, String detail) {
        public static FieldCause invalid(String field, String detail) {
            return new FieldCause("FieldValueInvalid", field, detail);
        }

        String text() {
            return field + ": " + detail;
        }
    }
}
