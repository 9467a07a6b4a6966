package dev.berth.platform.it;

/** Manifests for the core's tests, built around the {@code TestApp} image. */
final class Manifests {

    private Manifests() {}

    /** The same without topology spread constraints (the scheduler's default spread still applies). */
    static String unconstrained(String name, String image, int replicas) {
        String m = testApp(name, image, replicas, "100m", null);
        int start = m.indexOf("      topologySpreadConstraints:");
        int end = m.indexOf("      containers:");
        return m.substring(0, start) + m.substring(end);
    }

    /** The test app's readiness and liveness probes, every second; liveness fails after {@code livenessFailures}. */
    static String probes(int livenessFailures) {
        return """
                      readinessProbe:
                        httpGet: {path: /health/ready, port: http}
                        periodSeconds: 1
                        failureThreshold: 1
                      livenessProbe:
                        httpGet: {path: /health/live, port: http}
                        periodSeconds: 1
                        failureThreshold: %d
            """.formatted(livenessFailures);
    }

    /** The Service in front of the test app named {@code name}: port 80 to its {@code http} port. */
    static String service(String name) {
        return """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                spec:
                  selector: {app: %1$s}
                  ports:
                    - {name: http, port: 80, targetPort: http}
                """.formatted(name);
    }

    static String testApp(String name, String image, int replicas, String cpu, String extraEnv) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels: {app: %1$s}
                spec:
                  replicas: %3$d
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      terminationGracePeriodSeconds: 10
                      topologySpreadConstraints:
                        - maxSkew: 1
                          topologyKey: kubernetes.io/hostname
                          whenUnsatisfiable: DoNotSchedule
                          labelSelector:
                            matchLabels: {app: %1$s}
                      containers:
                        - name: app
                          image: %2$s
                          ports:
                            - {name: http, containerPort: 8080}
                          env:
                            - {name: VERSION, value: v1}
                %5$s
                          resources:
                            requests: {cpu: "%4$s", memory: 64Mi}
                            limits: {cpu: "%4$s", memory: 128Mi}
                """.formatted(name, image, replicas, cpu, extraEnv == null ? "" : extraEnv) + probes(2) + service(name);
    }
}
