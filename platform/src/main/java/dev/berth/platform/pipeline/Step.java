package dev.berth.platform.pipeline;

/**
 * One stage's work. Like Jib's steps, each checks before it acts: a step whose work is already done (the image is in
 * the registry, the cluster already runs these digests) says so and returns {@link Outcome#skipped}. A step fails by
 * throwing: {@link StepFailedException} with the reason the user reads, or any other exception.
 */
public interface Step {

    Outcome run(StageContext context) throws Exception;

    enum Status {
        SUCCEEDED,
        SKIPPED,
        FAILED,
        /** outside --from/--to, or after a failed stage */
        NOT_RUN;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** @param summary one line for the summary table and the report */
    record Outcome(Status status, String summary) {
        public static Outcome succeeded(String summary) {
            return new Outcome(Status.SUCCEEDED, summary);
        }

        public static Outcome skipped(String why) {
            return new Outcome(Status.SKIPPED, why);
        }
    }
}
