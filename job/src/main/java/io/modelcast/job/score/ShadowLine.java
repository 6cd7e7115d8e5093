package io.modelcast.job.score;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.job.sinks.JsonLine;

/**
 * One record of the shadow output: what the champion and its shadow challenger each made of an
 * input, as one flat JSON object —
 * {@code {"model":"fraud","id":"r-1","championVersion":3,"championScore":0.81,"championLabel":1,
 * "challengerVersion":4,"challengerScore":0.77,"challengerLabel":1,"agree":true,"subtask":2}} —
 * with {@code input} instead of {@code id} when the input has none, {@code …Output} for integer
 * models, {@code …Error} for a side that could not score the input, and the input's {@code topic},
 * {@code partition} and {@code offset} for Kafka input.
 */
final class ShadowLine {

    private ShadowLine() {}

    static String of(String name, InputBatch batch, int i, long championVersion, CapturedOutcomes champion,
            long challengerVersion, CapturedOutcomes challenger, int subtask) {
        JsonLine json = new JsonLine().field("model", name);
        if (batch.id(i) != null) {
            json.field("id", batch.id(i));
        } else {
            json.field("input", batch.text(i));
        }
        side(json, "champion", championVersion, champion, i);
        side(json, "challenger", challengerVersion, challenger, i);
        json.field("agree", champion.agrees(challenger, i));
        json.field("subtask", subtask);
        RecordOrigin origin = batch.origin(i);
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
}
