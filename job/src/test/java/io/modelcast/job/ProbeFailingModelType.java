package io.modelcast.job;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.modelcast.model.InvalidParametersException;
import io.modelcast.model.IntegerModel;
import io.modelcast.model.ModelType;
import io.modelcast.model.ModelTypes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A model type for tests whose models throw on one input, {@code failOn}: a well-formed, correctly
 * checksummed file whose model is broken — what the probe exists to catch. Registered in the test
 * JVM (which runs the mini cluster too) by {@link #register()}.
 */
public final class ProbeFailingModelType implements ModelType<ProbeFailingModelType.FailingModel> {

    public static final String NAME = "test-fails-on-one-input";

    /** A model that echoes its input, and throws on {@code failOn}. */
    public record FailingModel(long failOn) implements IntegerModel {
        @Override
        public String typeName() {
            return NAME;
        }

        @Override
        public String transform(long input) {
            if (input == failOn) {
                throw new ArithmeticException("cannot score " + input);
            }
            return Long.toString(input);
        }
    }

    /** Makes the type known to this JVM's codecs; idempotent. */
    public static void register() {
        ModelTypes.register(new ProbeFailingModelType());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<FailingModel> modelClass() {
        return FailingModel.class;
    }

    @Override
    public FailingModel fromParameters(JsonNode parameters) throws InvalidParametersException {
        JsonNode failOn = parameters.get("failOn");
        if (failOn == null || !failOn.canConvertToLong()) {
            throw InvalidParametersException.missing("failOn");
        }
        return new FailingModel(failOn.asLong());
    }

    @Override
    public ObjectNode toParameters(FailingModel model) {
        return JsonNodeFactory.instance.objectNode().put("failOn", model.failOn());
    }

    @Override
    public void writeBinary(FailingModel model, DataOutput out) throws IOException {
        out.writeLong(model.failOn());
    }

    @Override
    public FailingModel readBinary(DataInput in) throws IOException {
        return new FailingModel(in.readLong());
    }
}
