package dev.berth.platform.pipeline;

import java.util.List;

/** A stage with {@code run:}: the command in bash from the repository root; exit 0 is success. */
final class CommandStep implements Step {

    @Override
    public Outcome run(StageContext context) throws Exception {
        return Outcome.succeeded(runCommand(context, context.stage().run()));
    }

    /** @return the command as expanded and run */
    String runCommand(StageContext context, String command) throws Exception {
        return runCommand(context, command, java.util.Map.of());
    }

    /** @param extraEnv added to the command's environment (and to the log) */
    String runCommand(StageContext context, String command, java.util.Map<String, String> extraEnv) throws Exception {
        String expanded = PipelineDefinition.expand(command, context.environment(), "stage \"" + context.stage().name() + "\" run");
        java.util.Map<String, String> env = new java.util.HashMap<>(context.environment());
        env.putAll(extraEnv);
        extraEnv.forEach((k, v) -> context.log().println("$ export " + k + "='" + v + "'"));
        context.log().println("$ " + expanded);
        int code = Commands.run(List.of("bash", "-c", expanded), context.root(), env, context.log(), context::status);
        if (code != 0) {
            throw new StepFailedException("\"" + expanded + "\" exited with " + code);
        }
        return expanded;
    }
}
