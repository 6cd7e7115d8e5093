package io.modelcast.job;

import io.modelcast.model.IntegerModel;
import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A model type for tests whose models take as long to build as the test says: reading one from its
 * binary form blocks until {@link #release()}, as a large ONNX session's build takes its time. Its
 * binary form carries {@code padding} bytes, so a test can make it as large as a model that is built
 * off the task thread. Models answer {@code "<label>:<input>"}; one whose label starts with
 * {@code broken} cannot be built. Registered by {@link #register()}.
 * Used by the scorer's tests of swaps off the task thread.
 */
public final class SlowBuildModelType implements ModelType<SlowBuildModelType.SlowModel> {

    public static final String NAME = "test-slow-build";

    private static volatile CountDownLatch gate = new CountDownLatch(0);

    /** A model that prefixes its input with a label; {@code padding} only makes its binary form large. */
    public record SlowModel(String label, int padding) implements IntegerModel {
        @Override
        public String typeName() {
            return NAME;
        }

        @Override
        public String transform(long input) {
            return label + ":" + input;
        }
    }

    /** Makes the type known to this JVM's codecs; idempotent. */
    public static void register() {
        ModelTypes.register(new SlowBuildModelType());
    }

    /** From now on, every build of a model of this type waits until {@link #release()}. */
    public static void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets every waiting and later build finish. */
    public static void release() {
        gate.countDown();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<SlowModel> modelClass() {
        return SlowModel.class;
    }

    @Override
    public SlowModel fromParameters(JsonNode parameters) throws InvalidParametersException {
        JsonNode label = parameters.get("label");
        if (label == null || !label.isTextual()) {
            throw InvalidParametersException.missing("label");
        }
        return new SlowModel(label.asText(), parameters.path("padding").asInt(0));
    }

    @Override
    public ObjectNode toParameters(SlowModel model) {
        return JsonNodeFactory.instance.objectNode().put("label", model.label()).put("padding", model.padding());
    }

    @Override
    public void writeBinary(SlowModel model, DataOutput out) throws IOException {
        out.writeUTF(model.label());
        out.writeInt(model.padding());
        out.write(new byte[model.padding()]);
    }

    @Override
    public SlowModel readBinary(DataInput in) throws IOException {
        String label = in.readUTF();
        int padding = in.readInt();
        in.readFully(new byte[padding]);
        if (label.startsWith("broken")) {
            throw new IOException("model " + label + " cannot be built");
        }
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the test never released the build of model " + label);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building model " + label, e);
        }
        return new SlowModel(label, padding);
    }
}
