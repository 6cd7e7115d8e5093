package io.modelcast.job.labels;

import io.modelcast.job.records.RejectedRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * Joins each labelled record's prediction with its label, by the record's id, whichever comes
 * first: the first to arrive waits in keyed state for at most {@code --label-wait}, then the id's
 * state is cleared — so state holds only the ids of the last wait, however long the job runs.
 *
 * <ul>
 *   <li>a label within the wait of its prediction (or a prediction within the wait of its label)
 *       gives one {@link LabelledPrediction};
 *   <li>a second label for an id already labelled goes to {@link #UNMATCHED} as {@value #DUPLICATE}
 *       at once;
 *   <li>a label whose prediction never came within the wait — an unknown id, or one whose
 *       prediction's wait had ended — goes to {@link #UNMATCHED} as {@value #UNMATCHED_LABEL} when its
 *       own wait ends;
 *   <li>a prediction no label came for is forgotten (most never get one), and counted.
 * </ul>
 *
 * A second prediction for an id (a record sent twice) replaces the first while it waits. Waits are
 * in processing time. Metrics: counters {@code labelsJoined}, {@code labelsUnmatched}, {@code
 * labelsDuplicate}, {@code predictionsUnlabelled}.
 */
public final class JoinLabels extends KeyedCoProcessFunction<String, Prediction, Label, LabelledPrediction> {

    /** Labels that judged no prediction, with the reason. */
    public static final OutputTag<RejectedRecord> UNMATCHED =
            new OutputTag<>("unmatched-labels", TypeInformation.of(RejectedRecord.class));

    /** Reason code of a label for an id already labelled. */
    public static final String DUPLICATE = "DUPLICATE_LABEL";
    /** Reason code of a label no prediction came for within the wait. */
    public static final String UNMATCHED_LABEL = "UNMATCHED_LABEL";

    static final ValueStateDescriptor<Prediction> PREDICTION =
            new ValueStateDescriptor<>("prediction", TypeInformation.of(Prediction.class));
    static final ValueStateDescriptor<Label> LABEL = new ValueStateDescriptor<>("label", TypeInformation.of(Label.class));
    /** Set once the id is labelled, until its wait ends: a later label for it is a duplicate. */
    static final ValueStateDescriptor<Boolean> LABELLED = new ValueStateDescriptor<>("labelled", Types.BOOLEAN);
    /** When the id's wait ends (processing time), once a timer is set for it. */
    static final ValueStateDescriptor<Long> WAIT_ENDS = new ValueStateDescriptor<>("wait-ends", Types.LONG);

    private final long waitMillis;

    private transient ValueState<Prediction> prediction;
    private transient ValueState<Label> label;
    private transient ValueState<Boolean> labelled;
    private transient ValueState<Long> waitEnds;
    private transient Counter joined;
    private transient Counter unmatched;
    private transient Counter duplicates;
    private transient Counter unlabelled;

    /** @param wait how long a prediction and a label wait for each other */
    public JoinLabels(Duration wait) {
        this.waitMillis = wait.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        prediction = getRuntimeContext().getState(PREDICTION);
        label = getRuntimeContext().getState(LABEL);
        labelled = getRuntimeContext().getState(LABELLED);
        waitEnds = getRuntimeContext().getState(WAIT_ENDS);
        joined = getRuntimeContext().getMetricGroup().counter("labelsJoined");
        unmatched = getRuntimeContext().getMetricGroup().counter("labelsUnmatched");
        duplicates = getRuntimeContext().getMetricGroup().counter("labelsDuplicate");
        unlabelled = getRuntimeContext().getMetricGroup().counter("predictionsUnlabelled");
    }

    @Override
    public void processElement1(Prediction predicted, Context ctx, Collector<LabelledPrediction> out) throws Exception {
        Label waiting = label.value();
        if (waiting != null) {
            label.clear();
            labelled.update(true);
            joined.inc();
            out.collect(new LabelledPrediction(predicted, waiting.label));
            return;
        }
        if (Boolean.TRUE.equals(labelled.value())) {
            // A record sent again after its label: its label was spent on the first prediction.
            return;
        }
        prediction.update(predicted);
        startWait(ctx);
    }

    @Override
    public void processElement2(Label arrived, Context ctx, Collector<LabelledPrediction> out) throws Exception {
        if (Boolean.TRUE.equals(labelled.value()) || label.value() != null) {
            duplicates.inc();
            ctx.output(UNMATCHED, new RejectedRecord(arrived.text, DUPLICATE + ": id " + arrived.id + " is labelled already",
                    arrived.origin));
            return;
        }
        Prediction waiting = prediction.value();
        if (waiting != null) {
            prediction.clear();
            labelled.update(true);
            joined.inc();
            out.collect(new LabelledPrediction(waiting, arrived.label));
            return;
        }
        label.update(arrived);
        startWait(ctx);
    }

    /** Sets the id's one timer, when its first record arrives. */
    private void startWait(Context ctx) throws Exception {
        if (waitEnds.value() == null) {
            long ends = ctx.timerService().currentProcessingTime() + waitMillis;
            waitEnds.update(ends);
            ctx.timerService().registerProcessingTimeTimer(ends);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabelledPrediction> out) throws Exception {
        Label waiting = label.value();
        if (waiting != null) {
            unmatched.inc();
            ctx.output(UNMATCHED, new RejectedRecord(waiting.text, UNMATCHED_LABEL + ": no prediction for id " + waiting.id
                    + " within --label-wait " + Duration.ofMillis(waitMillis), waiting.origin));
        }
        if (prediction.value() != null) {
            unlabelled.inc();
        }
        prediction.clear();
        label.clear();
        labelled.clear();
        waitEnds.clear();
    }
}
