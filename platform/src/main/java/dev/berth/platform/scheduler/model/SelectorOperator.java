package dev.berth.platform.scheduler.model;

/** Operators of label and node selector requirements; {@code GT}/{@code LT} exist only in node selectors. */
public enum SelectorOperator {
    IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist"), GT("Gt"), LT("Lt");

    private final String kubernetesName;

    SelectorOperator(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    public static SelectorOperator fromKubernetes(String name) {
        for (SelectorOperator operator : values()) {
            if (operator.kubernetesName.equals(name)) {
                return operator;
            }
        }
        throw new IllegalArgumentException("unknown selector operator: " + name);
    }

    public String kubernetesName() {
        return kubernetesName;
    }
}
