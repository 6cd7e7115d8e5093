package io.modelcast.model.onnx;

import io.modelcast.model.Evaluation;
import io.modelcast.model.FeatureModel;
import io.modelcast.model.InvalidParametersException;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Any ONNX binary classifier, scored by ONNX Runtime: one float input of shape {@code [batch, k]}
 * and a float output of shape {@code [batch]}, {@code [batch, 1]} (the score) or {@code [batch, 2]}
 * (class probabilities; the second is the score). The output is the one named in the model file's
 * parameters, or else the first float output; the feature count comes from the input's shape.
 *
 * <p>Each instance owns a native session, built from the model bytes with one thread (the job
 * runs one session per scoring subtask, so parallelism comes from the subtasks). {@link #close}
 * releases it; scoring a closed model throws. Calls to {@link #score} are serialized on the
 * instance, and {@link #close} waits for a running one, so a session is never used once closed.
 */
public final class OnnxModel implements FeatureModel {

    /** The type name written in model files. */
    public static final String TYPE = "onnx";

    private static final AtomicLong OPEN_SESSIONS = new AtomicLong();

    /**
     * The input tensor's memory, one buffer per scoring thread, shared by every model that thread
     * uses and grown on demand. ONNX Runtime reads a direct buffer in place but copies a heap array
     * into a new direct buffer on every call, and a direct buffer's memory comes back only after
     * the garbage collector finds it: with wide models, a buffer per call (or per model, over
     * thousands of swaps) kept hundreds of MB resident between collections.
     */
    private static final ThreadLocal<FloatBuffer> INPUT = new ThreadLocal<>();

    private final byte[] onnx;
    private final double threshold;
    private final String requestedOutput;
    private final Evaluation evaluation;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int featureCount;
    /** Rows per inference call: 1 for a model with a fixed batch of one, else unbounded. */
    private final int maxRows;
    /** 1 for a {@code [batch]} or {@code [batch, 1]} output, 2 for class probabilities. */
    private final int outputWidth;
    private volatile boolean closed;

    /**
     * Loads a model into a new session and checks its inputs and outputs.
     *
     * @param outputName the output to read, or null for the first float output
     * @throws InvalidParametersException if ONNX Runtime cannot load it or its inputs or outputs
     *     do not fit, with the reason
     */
    public OnnxModel(byte[] onnx, double threshold, String outputName, Evaluation evaluation)
            throws InvalidParametersException {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw InvalidParametersException.invalid("threshold", "must be between 0 and 1, was " + threshold);
        }
        this.onnx = onnx.clone();
        this.threshold = threshold;
        this.requestedOutput = outputName;
        this.evaluation = evaluation;
        this.environment = OnnxEnvironment.get();
        OrtSession opened;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            // Without ONNX Runtime's arena the memory of a closed session goes back to the system
            // allocator; with it, each session's arena grows to its high-water mark.
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            opened = environment.createSession(this.onnx, options);
        } catch (OrtException | RuntimeException e) {
            throw InvalidParametersException.invalid("onnx", "is not a model ONNX Runtime can load: " + e.getMessage());
        }
        try {
            Map.Entry<String, NodeInfo> input = singleInput(opened);
            long[] inputShape = ((TensorInfo) input.getValue().getInfo()).getShape();
            this.inputName = input.getKey();
            this.featureCount = (int) inputShape[1];
            this.maxRows = inputShape[0] == 1 ? 1 : Integer.MAX_VALUE;
            Map.Entry<String, NodeInfo> output = chooseOutput(opened, outputName);
            this.outputName = output.getKey();
            this.outputWidth = outputWidth(output);
        } catch (InvalidParametersException | OrtException | RuntimeException e) {
            closeQuietly(opened);
            if (e instanceof InvalidParametersException invalid) {
                throw invalid;
            }
            throw InvalidParametersException.invalid("onnx", "cannot be inspected: " + e.getMessage());
        }
        this.session = opened;
        OPEN_SESSIONS.incrementAndGet();
    }

    private static Map.Entry<String, NodeInfo> singleInput(OrtSession session) throws OrtException, InvalidParametersException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw InvalidParametersException.invalid("onnx", "has " + inputs.size() + " inputs " + inputs.keySet()
                    + "; modelcast feeds one, a float tensor [batch, features]");
        }
        Map.Entry<String, NodeInfo> input = inputs.entrySet().iterator().next();
        if (!(input.getValue().getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
                || tensor.getShape().length != 2 || tensor.getShape()[1] <= 0
                || (tensor.getShape()[0] != -1 && tensor.getShape()[0] != 1)) {
            throw InvalidParametersException.invalid("onnx", "has input '" + input.getKey() + "' of " + describe(input.getValue())
                    + "; modelcast feeds a float tensor [batch, features] with a free (or 1) batch dimension and a fixed"
                    + " number of features");
        }
        return input;
    }

    private static Map.Entry<String, NodeInfo> chooseOutput(OrtSession session, String wanted)
            throws OrtException, InvalidParametersException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (wanted != null) {
            NodeInfo info = outputs.get(wanted);
            if (info == null) {
                throw InvalidParametersException.invalid("outputName", "names output '" + wanted
                        + "', which the model does not have (its outputs: " + outputs.keySet() + ")");
            }
            return Map.entry(wanted, info);
        }
        for (Map.Entry<String, NodeInfo> output : outputs.entrySet()) {
            if (output.getValue().getInfo() instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT) {
                return output;
            }
        }
        throw InvalidParametersException.invalid("onnx", "has no float tensor output to read a score from (its outputs: "
                + outputs.keySet() + ")");
    }

    private static int outputWidth(Map.Entry<String, NodeInfo> output) throws InvalidParametersException {
        if (output.getValue().getInfo() instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT) {
            long[] shape = tensor.getShape();
            if (shape.length == 1) {
                return 1;
            }
            if (shape.length == 2 && (shape[1] == 1 || shape[1] == 2)) {
                return (int) shape[1];
            }
        }
        throw InvalidParametersException.invalid("onnx", "has output '" + output.getKey() + "' of " + describe(output.getValue())
                + "; modelcast reads a float tensor [batch], [batch, 1] (the score) or [batch, 2] (class probabilities)");
    }

    private static String describe(NodeInfo info) {
        return info.getInfo() instanceof TensorInfo tensor
                ? "type " + tensor.type + " and shape " + Arrays.toString(tensor.getShape())
                : "kind " + info.getInfo().getClass().getSimpleName();
    }

    /** The model's ONNX bytes, as in the model file. */
    public byte[] onnx() {
        return onnx.clone();
    }

    /** The output named in the model file, or null if the first float output was chosen. */
    public String requestedOutput() {
        return requestedOutput;
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public double threshold() {
        return threshold;
    }

    /**
     * Scores {@code rows} vectors in one inference (or one per row for a model with a fixed batch
     * of 1). Calls are serialized on this model, and {@link #close} waits for a running one, so a
     * session is never used after it is closed.
     */
    @Override
    public synchronized void score(float[] features, int rows, double[] scores) {
        if (closed) {
            throw new IllegalStateException("ONNX model scored after it was closed");
        }
        for (int from = 0; from < rows; from += maxRows) {
            int count = Math.min(maxRows, rows - from);
            FloatBuffer batch = inputFor(count * featureCount);
            batch.put(features, from * featureCount, count * featureCount).flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(environment, batch, new long[] {count, featureCount});
                    OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
                FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
                for (int i = 0; i < count; i++) {
                    scores[from + i] = output.get(i * outputWidth + outputWidth - 1);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
            }
        }
    }

    /** This thread's direct input buffer, cleared, with room for {@code values} floats. */
    private static FloatBuffer inputFor(int values) {
        FloatBuffer input = INPUT.get();
        if (input == null || input.capacity() < values) {
            input = ByteBuffer.allocateDirect(Math.max(values, 1) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            INPUT.set(input);
        }
        input.clear();
        return input;
    }

    /** Closes the session; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(session);
            OPEN_SESSIONS.decrementAndGet();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sessions opened in this JVM and not yet closed: a leak check for tests and metrics. */
    public static long openSessions() {
        return OPEN_SESSIONS.get();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            // Nothing more can be done about a session that fails to close.
        }
    }

    /** Equal if the same bytes, threshold and output choice: what the model file's parameters say. */
    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxModel other && Arrays.equals(onnx, other.onnx) && threshold == other.threshold
                && Objects.equals(requestedOutput, other.requestedOutput)
                && Objects.equals(evaluation, other.evaluation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(onnx);
    }

    @Override
    public String toString() {
        return "OnnxModel{" + onnx.length + " bytes, input " + inputName + " [batch, " + featureCount + "], output "
                + outputName + ", threshold " + threshold + (closed ? ", closed" : "") + "}";
    }
}
