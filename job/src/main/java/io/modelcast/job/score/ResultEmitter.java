package io.modelcast.job.score;

import io.modelcast.job.Descriptors;
import io.modelcast.job.modelupdates.ValidatedModel;
import io.modelcast.job.sinks.JsonLine;
import io.modelcast.model.features.FeatureSpec;
import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.RemoteRequest;
import io.modelcast.job.records.RemoteRequest.RemoteInput;
import io.modelcast.job.records.Result;

import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scorer's {@link ScoreSink}: turns what a model made of each input of a batch into stamped
 * records — the model's name, role, version and age, the subtask — and routes them: results to the main
 * output, or to {@link Descriptors#STALE} when the model is older than the maximum age; rejections
 * to {@link Descriptors#BAD_RECORDS}; remote requests to {@link Descriptors#REMOTE_CALLS} (their
 * staleness is told after the call). Counts what it routes. One per subtask, reused batch after batch.
 */
final class ResultEmitter implements ScoreSink {

    /** The side outputs of whichever context the scorer is called in. */
    interface SideOutputs {
        <X> void output(OutputTag<X> tag, X value);
    }

    private final int subtask;
    private final ModelAgeLimit maxModelAge;
    private final Counter scored;
    private final Counter stale;
    private final Counter rejected;

    private Collector<Result> out;
    private SideOutputs sides;
    private InputBatch batch;
    private String model;
    private Result.Role role;
    private long version;
    private long ageMillis;
    private boolean tooOld;
    private boolean showFeatures;
    /** The names of the features the model takes, when results show them; else null. */
    private List<String> featureNames;

    /** @param maxModelAge results of an older model are stale */
    ResultEmitter(int subtask, ModelAgeLimit maxModelAge, Counter scored, Counter stale, Counter rejected) {
        this.subtask = subtask;
        this.maxModelAge = maxModelAge;
        this.scored = scored;
        this.stale = stale;
        this.rejected = rejected;
    }

    /** Results show the features the model saw, if it computed them from raw events ({@code --emit-features}). */
    ResultEmitter showingFeatures(boolean show) {
        this.showFeatures = show;
        return this;
    }

    /** Takes the outcomes of scoring {@code batch} with {@code update}, a version of model {@code model}, in role {@code role}. */
    ResultEmitter begin(InputBatch batch, String model, Result.Role role, ValidatedModel update, Collector<Result> out,
            SideOutputs sides) {
        this.batch = batch;
        this.model = model;
        this.role = role;
        this.version = update.version();
        this.featureNames = showFeatures ? update.featureSpec().map(FeatureSpec::names).orElse(null) : null;
        this.ageMillis = System.currentTimeMillis() - update.createdAtMillis();
        this.tooOld = maxModelAge.exceededBy(ageMillis);
        this.out = out;
        this.sides = sides;
        return this;
    }

    @Override
    public void output(int input, String output) {
        emit(Result.output(batch.text(input), output, model, role, version, ageMillis, subtask, batch.origin(input)));
    }

    @Override
    public void prediction(int input, double score, int label) {
        Result result = Result.prediction(batch.text(input), batch.id(input), score, label, model, role, version, ageMillis,
                subtask, batch.origin(input));
        emit(featureNames == null ? result : result.withFeatures(JsonLine.numbersByName(featureNames, batch.features(input))));
    }

    private void emit(Result result) {
        if (tooOld) {
            stale.inc();
            sides.output(Descriptors.STALE, result);
        } else {
            scored.inc();
            out.collect(result);
        }
    }

    @Override
    public void rejected(int input, String reason) {
        rejected.inc();
        sides.output(Descriptors.BAD_RECORDS, new RejectedRecord(batch.text(input), reason, batch.origin(input)));
    }

    @Override
    public void remote(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
            Optional<RemoteRequest.Fallback> fallback) {
        request(from, pointer, kind, instances, fallback, RemoteRequest.Purpose.SERVE);
    }

    /** Sends inputs {@code from} to {@code from + instances.size() - 1} to the remote step, for {@code purpose}. */
    void request(int from, String pointer, RemoteRequest.Kind kind, List<String> instances,
            Optional<RemoteRequest.Fallback> fallback, RemoteRequest.Purpose purpose) {
        List<RemoteInput> inputs = new ArrayList<>(instances.size());
        for (int k = 0; k < instances.size(); k++) {
            int i = from + k;
            inputs.add(new RemoteInput(batch.text(i), batch.id(i), batch.origin(i), instances.get(k)));
        }
        sides.output(Descriptors.REMOTE_CALLS, new RemoteRequest(model, version, pointer, kind, ageMillis, subtask, inputs, fallback,
                purpose));
    }
}
