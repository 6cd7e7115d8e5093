package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.job.records.RemoteRequest.LocalOutcome;
import io.modelcast.job.records.Result;
import io.modelcast.job.sinks.JsonLine;

import org.apache.flink.types.Either;

/**
 * One record of the shadow output: what the champion and its shadow challenger each made of an
 * input, as one flat JSON object —
 * {@code {"model":"fraud","id":"r-1","championVersion":3,"championScore":0.81,"championLabel":1,
 * "challengerVersion":4,"challengerScore":0.77,"challengerLabel":1,"agree":true,"subtask":2}} —
 * with {@code input} instead of {@code id} when the input has none, {@code …Output} for integer
 * models, {@code …Error} for a side that could not score the input, and the input's {@code topic},
 * {@code partition} and {@code offset} for Kafka input. A local challenger's lines are written by
 * the scorer; a remote challenger's by the remote step, when its answer is in.
 */
public final class ShadowLine {

    private ShadowLine() {}

    static String of(String name, InputBatch batch, int i, long championVersion, CapturedOutcomes champion,
            long challengerVersion, CapturedOutcomes challenger, int subtask) {
        JsonLine json = begin(name, batch.id(i), batch.text(i));
        side(json, "champion", championVersion, champion, i);
        side(json, "challenger", challengerVersion, challenger, i);
        return end(json, champion.agrees(challenger, i), subtask, batch.origin(i));
    }

    /**
     * The line of a remote shadow challenger's outcome for one input.
     *
     * @param champion what the champion made of the input, computed by the scorer
     * @param challenger the challenger's result, or why its call failed
     */
    public static String ofRemote(String name, String id, String input, RecordOrigin origin, int subtask,
            long championVersion, LocalOutcome champion, long challengerVersion, Either<String, Result> challenger) {
        JsonLine json = begin(name, id, input);
        json.field("championVersion", championVersion);
        if (champion instanceof LocalOutcome.Output output) {
            outcome(json, "champion", output.output(), output.score().isPresent(), output.score().orElse(0));
        } else {
            json.field("championError", ((LocalOutcome.Failure) champion).reason());
        }
        json.field("challengerVersion", challengerVersion);
        if (challenger.isRight()) {
            Result result = challenger.right();
            outcome(json, "challenger", result.output(), result.isPrediction(), result.score().orElse(0));
        } else {
            json.field("challengerError", challenger.left());
        }
        return end(json, agree(champion, challenger), subtask, origin);
    }

    /** Whether both sides scored the input and came to the same output (label, for feature models). */
    public static boolean agree(LocalOutcome champion, Either<String, Result> challenger) {
        return champion instanceof LocalOutcome.Output output && challenger.isRight()
                && output.output().equals(challenger.right().output());
    }

    private static JsonLine begin(String name, String id, String input) {
        JsonLine json = new JsonLine().field("model", name);
        return id != null ? json.field("id", id) : json.field("input", input);
    }

    private static String end(JsonLine json, boolean agree, int subtask, RecordOrigin origin) {
        json.field("agree", agree);
        json.field("subtask", subtask);
        if (origin != null) {
            json.field("topic", origin.topic).field("partition", origin.partition).field("offset", origin.offset);
        }
        return json.toString();
    }

    private static void side(JsonLine json, String side, long version, CapturedOutcomes outcomes, int i) {
        json.field(side + "Version", version);
        switch (outcomes.kind(i)) {
            case OUTPUT -> json.field(side + "Output", outcomes.text(i));
            case PREDICTION -> json.field(side + "Score", outcomes.score(i)).field(side + "Label", outcomes.label(i));
            default -> json.field(side + "Error", outcomes.text(i));
        }
    }

    /** A side's output: a score and its label for a feature model, the text for an integer model. */
    private static void outcome(JsonLine json, String side, String output, boolean scored, double score) {
        if (scored) {
            json.field(side + "Score", score).field(side + "Label", Integer.parseInt(output));
        } else {
            json.field(side + "Output", output);
        }
    }
}
