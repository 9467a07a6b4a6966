package dev.berth.platform.pipeline;

import java.util.List;

/** The built-in steps a stage can name with {@code step:}. */
public final class Steps {

    public static final List<String> NAMES = List.of("image", "manifests", "validate", "deploy", "verify");

    private Steps() {}

    static Step forStage(PipelineDefinition.Stage stage) {
        if (stage.run() != null) {
            return new CommandStep();
        }
        return switch (stage.step()) {
            case "image" -> new ImageStep();
            case "manifests" -> new ManifestsStep();
            case "validate" -> new ValidateStep();
            case "deploy" -> new DeployStep();
            case "verify" -> new VerifyStep();
            default -> throw new PipelineException("unknown step " + stage.step());
        };
    }
}
