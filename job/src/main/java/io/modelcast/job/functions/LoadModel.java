package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Decodes and validates each model file once, before anything is broadcast: a file that is
 * unreadable, malformed, fails its checksum, or is not newer than the last version let through
 * goes to {@link Descriptors#REJECTED_MODELS} with the reason and is logged; the models already in
 * use keep scoring. Runs with parallelism 1, so "newer" has one meaning; the highest version let
 * through is checkpointed.
 */
public final class LoadModel extends ProcessFunction<ModelFileBytes, ModelUpdate>
        implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(LoadModel.class);

    /** Reason code of a file whose version is not newer than one already let through. */
    public static final String NOT_NEWER = "NOT_NEWER";

    private final long maxModelBytes;

    private transient ModelFileCodec codec;
    private transient long highestVersion;
    private transient ListState<Long> highestVersionState;
    private transient Counter modelsAccepted;
    private transient Counter modelsRejected;

    public LoadModel(long maxModelBytes) {
        this.maxModelBytes = maxModelBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new ModelFileCodec(maxModelBytes);
        modelsAccepted = getRuntimeContext().getMetricGroup().counter("modelsAccepted");
        modelsRejected = getRuntimeContext().getMetricGroup().counter("modelsRejected");
        getRuntimeContext().getMetricGroup().gauge("lastModelVersionLoaded", () -> highestVersion);
    }

    @Override
    public void processElement(ModelFileBytes file, Context ctx, Collector<ModelUpdate> out) {
        if (file.readError != null) {
            reject(ctx, file.path, ModelFileException.Reason.UNREADABLE.name(),
                    "model file " + file.path + " cannot be read: " + file.readError);
            return;
        }
        ModelFile model;
        try {
            model = codec.decode(file.path, file.bytes);
        } catch (ModelFileException e) {
            reject(ctx, file.path, e.reason().name(), e.getMessage());
            return;
        }
        if (model.version() <= highestVersion) {
            reject(ctx, file.path, NOT_NEWER,
                    "model file " + file.path + " has version " + model.version()
                            + ", not newer than version " + highestVersion
                            + " already loaded (versions must increase; was the model directory reset?)");
            return;
        }
        LOG.info("Loaded model version {} ({}) from {}", model.version(), model.type(), file.path);
        highestVersion = model.version();
        modelsAccepted.inc();
        out.collect(new ModelUpdate(
                model.version(), model.type(), model.createdAt().toEpochMilli(), file.path, file.bytes));
    }

    private void reject(Context ctx, String file, String reason, String message) {
        LOG.warn("Rejected {}", message);
        modelsRejected.inc();
        ctx.output(Descriptors.REJECTED_MODELS, new RejectedModel(file, reason, message));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        highestVersionState.update(List.of(highestVersion));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        highestVersionState =
                context.getOperatorStateStore().getListState(Descriptors.HIGHEST_MODEL_VERSION_LOADED);
        highestVersion = 0;
        for (Long version : highestVersionState.get()) {
            highestVersion = Math.max(highestVersion, version);
        }
    }
}
