package io.modelcast.job.modelupdates;

import io.modelcast.job.Descriptors;
import io.modelcast.job.InputFormat;
import io.modelcast.job.modelupdates.ModelValidator.Accepted;
import io.modelcast.job.modelupdates.ModelValidator.Rejected;
import io.modelcast.job.modelupdates.ModelValidator.Verdict;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.store.ModelBytes;
import io.modelcast.job.store.ModelStore;
import io.modelcast.job.store.StoreRetention;
import io.modelcast.model.ModelName;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.remote.RemoteModel;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.java.tuple.Tuple5;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates each model file before anything is broadcast — size, checksum, decoding, the probe
 * ({@link ModelValidator}) — and lets through only versions newer than every one let through
 * before, as a {@link ValidatedModel}: the model in binary form, which the scorers build their
 * live models from without checking anything again.
 *
 * <p>Where each check lives: the model source only lists the directory and reads bytes, bounded
 * by the size limit (it also asks the validator which of several new files is the newest valid
 * one, so as not to read older ones; nothing it decides is trusted downstream). This loader is the
 * one place that decodes, validates, probes and gates on version, and the one that checks a remote
 * model's fallback; it runs with parallelism 1, so "newer" has one meaning. Each scoring subtask
 * keeps exactly one check of its own — a version not newer than the one it holds is ignored —
 * which makes replayed and reordered broadcasts harmless (after a restore, say). A file that fails goes to {@link Descriptors#REJECTED_MODELS} with the reason, is logged
 * and counted; the models in use keep scoring. Runs with parallelism 1, so "newer" has one meaning;
 * the highest version let through is checkpointed.
 *
 * <p>With a model store ({@link #storingIn}), what goes out carries a reference to the loader's
 * copy of the model instead of its bytes.
 *
 * <p>Metrics: {@code modelsAccepted}, {@code modelsRejected}, {@code lastModelVersionSeen} (the
 * version of the last file that decoded, accepted or not).
 *
 * <p>The model source emits each file once, exactly once across restores, so a file seen again
 * here is one that appeared again in the directory: an old version, rejected as {@link #NOT_NEWER}.
 */
public final class LoadModel extends ProcessFunction<ModelFileBytes, ValidatedModel> implements CheckpointedFunction {

    private static final Logger LOG = LoggerFactory.getLogger(LoadModel.class);

    /** Reason code of a remote model in a job started without remote scoring ({@code --remote-requests 0}). */
    public static final String REMOTE_DISABLED = "REMOTE_DISABLED";

    /** Reason code of a remote model whose fallback model version is missing or not valid. */
    public static final String FALLBACK_UNAVAILABLE = "FALLBACK_UNAVAILABLE";

    /** Reason code of a file whose version is not newer than one already let through for its name. */
    public static final String NOT_NEWER = ModelRoster.NOT_NEWER;

    /** Of each name, the model store keeps the copies of this many updates: those in use, and those recent checkpoints name. */
    static final int STORED_UPDATES_KEPT = 4;

    private final long maxModelBytes;
    private final InputFormat inputFormat;
    private final boolean remoteScoring;

    private final int maxModels;
    private ModelStore store;

    private transient ModelValidator validator;
    private transient BesideFiles beside;
    private transient ModelRoster roster;
    private transient volatile long lastVersionSeen;
    private transient ListState<Tuple5<String, Long, Long, Long, Boolean>> rosterState;
    private transient Counter modelsAccepted;
    private transient Counter modelsRejected;
    private transient StoreRetention retention;

    /**
     * @param remoteScoring whether the job has the async step that scores with remote models
     * @param maxModels how many model names the job holds at most
     */
    public LoadModel(long maxModelBytes, InputFormat inputFormat, boolean remoteScoring, int maxModels) {
        if (maxModels < 1) {
            throw new IllegalArgumentException("maxModels must be at least 1, was " + maxModels);
        }
        this.maxModels = maxModels;
        this.maxModelBytes = maxModelBytes;
        this.inputFormat = inputFormat;
        this.remoteScoring = remoteScoring;
    }

    /**
     * Keeps the models it lets through in {@code modelStore} and sends the scorers references to
     * them, so broadcast state stays small however large the models and however many the subtasks.
     */
    public LoadModel storingIn(ModelStore modelStore) {
        this.store = modelStore;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        retention = new StoreRetention(STORED_UPDATES_KEPT);
        validator = new ModelValidator(maxModelBytes, inputFormat);
        beside = new BesideFiles(validator, maxModelBytes);
        modelsAccepted = getRuntimeContext().getMetricGroup().counter("modelsAccepted");
        modelsRejected = getRuntimeContext().getMetricGroup().counter("modelsRejected");
        getRuntimeContext().getMetricGroup().gauge("lastModelVersionSeen", () -> lastVersionSeen);
    }

    @Override
    public void processElement(ModelFileBytes file, Context ctx, Collector<ValidatedModel> out) {
        Verdict verdict = validator.validate(file);
        if (verdict instanceof Rejected rejected) {
            rejected.version().ifPresent(version -> lastVersionSeen = version);
            reject(ctx, file.path, rejected.reason(), rejected.message());
            return;
        }
        Accepted accepted = (Accepted) verdict;
        ModelFile model = accepted.file();
        lastVersionSeen = model.version();
        String name = file.name;
        boolean remote = model.model() instanceof RemoteModel;
        Optional<ModelRoster.Refusal> refusal = roster.check(name, model.version(), model.rollout());
        if (refusal.isPresent()) {
            reject(ctx, file.path, refusal.get().reason(), "model file " + file.path + ": " + refusal.get().message());
            return;
        }
        if (remote && !remoteScoring) {
            reject(ctx, file.path, REMOTE_DISABLED, "model file " + file.path + " (version " + model.version()
                    + ") holds a remote model, but this job was started without remote scoring: start it with"
                    + " --remote-requests N (64, say) to score with model servers");
            return;
        }
        Optional<ValidatedModel> update = withFallback(ctx, file, accepted);
        if (update.isEmpty()) {
            return;
        }
        if (model.rollout().isPresent()) {
            Optional<Long> champion = roster.championNeeded(name, model.rollout().get());
            if (champion.isPresent() && !loadChampionOf(ctx, out, file, model.version(), champion.get())) {
                return;
            }
        }
        let(out, update.get(), remote);
    }

    /** Lets a validated version through: broadcast, counted, remembered. */
    private void let(Collector<ValidatedModel> out, ValidatedModel loaded, boolean remote) {
        ValidatedModel update = stored(loaded);
        LOG.info("Loaded model {} version {} ({}{}) from {}", update.name(), update.version(), update.type(),
                update.rollout().map(r -> ", challenger " + r.describe()).orElse(""), update.source());
        roster.accepted(update.name(), update.version(), remote, update.rollout());
        modelsAccepted.inc();
        out.collect(update);
    }

    /**
     * The update with its bytes (and its fallback's) replaced by references to copies in the model
     * store; as it is, with a WARN, if there is no store or a copy cannot be written — the model is
     * never held back for that. Copies no recent update names are deleted.
     */
    private ValidatedModel stored(ValidatedModel update) {
        if (store == null) {
            return update;
        }
        try {
            ModelBytes.Stored model = store.put(update.bytes().read());
            ValidatedModel stored = update.withBytes(model);
            List<ModelBytes.Stored> copies = new ArrayList<>(List.of(model));
            if (update.fallback().isPresent()) {
                ModelBytes.Stored fallback = store.put(update.fallback().get().bytes().read());
                stored = stored.withFallback(update.fallback().get().withBytes(fallback));
                copies.add(fallback);
            }
            for (ModelBytes.Stored old : retention.stored(update.name(), copies)) {
                try {
                    store.delete(old);
                } catch (IOException e) {
                    LOG.warn("Cannot delete {} from the model store: {}", old.location(), e.toString());
                }
            }
            return stored;
        } catch (IOException e) {
            LOG.warn("Cannot copy model {} version {} to the model store {} ({}); broadcast state holds its bytes instead",
                    update.name(), update.version(), store, e.toString());
            return update;
        }
    }

    /** The update of an accepted file, with its fallback model if it is a remote model that has one; empty (and rejected) if that cannot be used. */
    private Optional<ValidatedModel> withFallback(Context ctx, ModelFileBytes file, Accepted accepted) {
        ModelFile model = accepted.file();
        ValidatedModel update = accepted.toValidatedModel(file.name, file.path);
        if (model.model() instanceof RemoteModel remote && remote.fallbackVersion().isPresent()) {
            long fallbackVersion = remote.fallbackVersion().getAsLong();
            Verdict fallback = beside.fallback(file.path, model.version(), fallbackVersion);
            if (fallback instanceof Rejected problem) {
                reject(ctx, file.path, FALLBACK_UNAVAILABLE, "model file " + file.path + " (version " + model.version()
                        + ", remote) falls back to model version " + fallbackVersion + ", which "
                        + problem.message() + "; publish the fallback model first, or a pointer that falls back to a valid one");
                return Optional.empty();
            }
            // A fallback scores only when its pointer's call fails: drift is measured on the pointer, not on it.
            update = update.withFallback(((Accepted) fallback).toValidatedModel(file.name, BesideFiles.path(file.path, fallbackVersion))
                    .withProfile(Optional.empty()));
        }
        return Optional.of(update);
    }

    /**
     * Lets through the champion a challenger was published against, read from beside the
     * challenger's file, when it is not the champion in force (a job started over a directory whose
     * newest file is a challenger reads only that file). False, with the challenger rejected, if it
     * cannot be used.
     */
    private boolean loadChampionOf(Context ctx, Collector<ValidatedModel> out, ModelFileBytes challenger, long challengerVersion,
            long championVersion) {
        String path = BesideFiles.path(challenger.path, championVersion);
        Verdict verdict = beside.read(challenger.path, championVersion, challenger.name);
        String problem = null;
        if (verdict instanceof Rejected rejected) {
            problem = "cannot be used: " + rejected.message();
        } else {
            ModelFile champion = ((Accepted) verdict).file();
            if (champion.isChallenger()) {
                problem = "is a challenger itself";
            } else if (champion.model() instanceof RemoteModel) {
                problem = "is a remote model; this build runs challengers only beside local champions";
            } else {
                Optional<ModelRoster.Refusal> refusal = roster.check(challenger.name, championVersion, Optional.empty());
                if (refusal.isPresent()) {
                    problem = "cannot be loaded: " + refusal.get().message();
                }
            }
        }
        if (problem != null) {
            reject(ctx, challenger.path, ModelRoster.CHALLENGER_WITHOUT_CHAMPION, "model file " + challenger.path
                    + " (version " + challengerVersion + ", challenger) challenges model version " + championVersion
                    + ", which " + problem + "; publish the challenger against a valid champion");
            return false;
        }
        let(out, ((Accepted) verdict).toValidatedModel(challenger.name, path), false);
        return true;
    }

    private void reject(Context ctx, String file, String reason, String message) {
        LOG.warn("Rejected {}", message);
        modelsRejected.inc();
        ctx.output(Descriptors.REJECTED_MODELS, new RejectedModel(file, reason, message));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        rosterState.update(roster.snapshot());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        roster = new ModelRoster(maxModels);
        rosterState = context.getOperatorStateStore().getListState(Descriptors.MODEL_ROSTER);
        for (Tuple5<String, Long, Long, Long, Boolean> entry : rosterState.get()) {
            roster.restore(entry);
        }
        if (context.getOperatorStateStore().getRegisteredStateNames().contains(Descriptors.HIGHEST_MODEL_VERSION_LOADED.getName())) {
            // A build before model names: its one number is the default model's champion.
            ListState<Long> legacy = context.getOperatorStateStore().getListState(Descriptors.HIGHEST_MODEL_VERSION_LOADED);
            for (Long version : legacy.get()) {
                roster.restoreDefault(ModelName.DEFAULT, version);
            }
            legacy.clear();
        }
    }
}
