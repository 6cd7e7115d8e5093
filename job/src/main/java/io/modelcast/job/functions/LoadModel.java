package io.modelcast.job.functions;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.models.ModelValidator;
import io.modelcast.job.models.ModelValidator.Accepted;
import io.modelcast.job.models.ModelValidator.Rejected;
import io.modelcast.job.models.ModelValidator.Verdict;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.sources.ModelFiles;
import io.modelcast.model.remote.RemoteModel;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.model.file.ModelFile;

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
 * Validates each model file before anything is broadcast — size, checksum, decoding, the probe
 * ({@link ModelValidator}) — and lets through only versions newer than every one let through
 * before. A file that fails goes to {@link Descriptors#REJECTED_MODELS} with the reason, is logged
 * and counted; the models in use keep scoring. Runs with parallelism 1, so "newer" has one meaning;
 * the highest version let through is checkpointed.
 *
 * <p>Metrics: {@code modelsAccepted}, {@code modelsRejected}, {@code lastModelVersionSeen} (the
 * version of the last file that decoded, accepted or not).
 *
 * <p>The model source emits each file once, exactly once across restores, so a file seen again
 * here is one that appeared again in the directory: an old version, rejected as {@link #NOT_NEWER}.
 */
public final class LoadModel extends ProcessFunction<ModelFileBytes, ModelUpdate> implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(LoadModel.class);

    /** Reason code of a remote model in a job started without remote scoring ({@code --remote-requests 0}). */
    public static final String REMOTE_DISABLED = "REMOTE_DISABLED";

    /** Reason code of a remote model whose fallback model version is missing or not valid. */
    public static final String FALLBACK_UNAVAILABLE = "FALLBACK_UNAVAILABLE";

    /** Reason code of a file whose version is not newer than one already let through. */
    public static final String NOT_NEWER = "NOT_NEWER";

    private final long maxModelBytes;
    private final InputFormat inputFormat;
    private final boolean remoteScoring;

    private transient ModelValidator validator;
    private transient long highestVersion;
    private transient volatile long lastVersionSeen;
    private transient ListState<Long> highestVersionState;
    private transient Counter modelsAccepted;
    private transient Counter modelsRejected;

    /** A loader for a job reading integers. */
    public LoadModel(long maxModelBytes) {
        this(maxModelBytes, InputFormat.INT);
    }

    /** A loader that rejects remote models. */
    public LoadModel(long maxModelBytes, InputFormat inputFormat) {
        this(maxModelBytes, inputFormat, false);
    }

    /** @param remoteScoring whether the job has the async step that scores with remote models */
    public LoadModel(long maxModelBytes, InputFormat inputFormat, boolean remoteScoring) {
        this.maxModelBytes = maxModelBytes;
        this.inputFormat = inputFormat;
        this.remoteScoring = remoteScoring;
    }

    @Override
    public void open(OpenContext openContext) {
        validator = new ModelValidator(maxModelBytes, inputFormat);
        modelsAccepted = getRuntimeContext().getMetricGroup().counter("modelsAccepted");
        modelsRejected = getRuntimeContext().getMetricGroup().counter("modelsRejected");
        getRuntimeContext().getMetricGroup().gauge("lastModelVersionSeen", () -> lastVersionSeen);
    }

    @Override
    public void processElement(ModelFileBytes file, Context ctx, Collector<ModelUpdate> out) {
        Verdict verdict = validator.validate(file);
        if (verdict instanceof Rejected rejected) {
            rejected.version().ifPresent(version -> lastVersionSeen = version);
            reject(ctx, file.path, rejected.reason(), rejected.message());
            return;
        }
        ModelFile model = ((Accepted) verdict).file();
        lastVersionSeen = model.version();
        if (model.version() <= highestVersion) {
            reject(ctx, file.path, NOT_NEWER, "model file " + file.path + " has version " + model.version()
                    + ", not newer than version " + highestVersion + " already loaded (versions must increase;"
                    + " to use these parameters again, publish them under a new version: fitter promote)");
            return;
        }
        if (model.model() instanceof RemoteModel && !remoteScoring) {
            reject(ctx, file.path, REMOTE_DISABLED, "model file " + file.path + " (version " + model.version()
                    + ") holds a remote model, but this job was started without remote scoring: start it with"
                    + " --remote-requests N (64, say) to score with model servers");
            return;
        }
        ModelUpdate update = new ModelUpdate(model.version(), model.type(), model.createdAt().toEpochMilli(), file.path, file.bytes);
        if (model.model() instanceof RemoteModel remote && remote.fallbackVersion().isPresent()) {
            String problem = attachFallback(update, file.path, remote.fallbackVersion().getAsLong());
            if (problem != null) {
                reject(ctx, file.path, FALLBACK_UNAVAILABLE, "model file " + file.path + " (version " + model.version()
                        + ", remote) falls back to model version " + remote.fallbackVersion().getAsLong() + ", which "
                        + problem + "; publish the fallback model first, or a pointer that falls back to a valid one");
                return;
            }
        }
        LOG.info("Loaded model version {} ({}) from {}", model.version(), model.type(), file.path);
        highestVersion = model.version();
        modelsAccepted.inc();
        out.collect(update);
    }

    /**
     * Reads and validates the local model a remote model falls back to — the file of that version
     * beside the pointer's — into {@code update}.
     *
     * @return null if it may be used, else what is wrong with it
     */
    private String attachFallback(ModelUpdate update, String pointerPath, long fallbackVersion) {
        if (fallbackVersion == update.version) {
            return "is the pointer itself";
        }
        int slash = pointerPath.lastIndexOf('/');
        String path = (slash < 0 ? "" : pointerPath.substring(0, slash + 1)) + ModelDirectory.fileName(fallbackVersion);
        ModelFileBytes fallback = ModelFiles.read(path, maxModelBytes);
        Verdict verdict = validator.validate(fallback);
        if (verdict instanceof Rejected rejected) {
            return "cannot be used: " + rejected.message();
        }
        if (((Accepted) verdict).file().model() instanceof RemoteModel) {
            return "is a remote model too (a fallback must be local)";
        }
        update.fallbackVersion = fallbackVersion;
        update.fallbackSource = path;
        update.fallbackFileBytes = fallback.bytes;
        return null;
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
        highestVersionState = context.getOperatorStateStore().getListState(Descriptors.HIGHEST_MODEL_VERSION_LOADED);
        highestVersion = 0;
        for (Long version : highestVersionState.get()) {
            highestVersion = Math.max(highestVersion, version);
        }
    }
}
