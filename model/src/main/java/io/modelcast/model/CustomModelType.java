package io.modelcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The {@code custom} model type: parameters {@code {"isCloned": true|false}}. */
public final class CustomModelType implements ModelType<CustomModel> {

    static final String IS_CLONED = "isCloned";

    @Override
    public String name() {
        return CustomModel.TYPE;
    }

    @Override
    public Class<CustomModel> modelClass() {
        return CustomModel.class;
    }

    @Override
    public CustomModel fromParameters(JsonNode parameters) throws InvalidParametersException {
        JsonNode isCloned = parameters.get(IS_CLONED);
        if (isCloned == null || isCloned.isNull()) {
            throw InvalidParametersException.missing(IS_CLONED);
        }
        if (!isCloned.isBoolean()) {
            throw InvalidParametersException.invalid(
                    IS_CLONED, "must be true or false, not " + isCloned);
        }
        return new CustomModel(isCloned.booleanValue());
    }

    @Override
    public ObjectNode toParameters(CustomModel model) {
        return JsonNodeFactory.instance.objectNode().put(IS_CLONED, model.isCloned());
    }

    @Override
    public void writeBinary(CustomModel model, DataOutput out) throws IOException {
        BinaryForm.writeFormat(out, BinaryForm.FORMAT_1);
        out.writeBoolean(model.isCloned());
    }

    @Override
    public CustomModel readBinary(DataInput in) throws IOException {
        BinaryForm.readFormat(in, name(), BinaryForm.FORMAT_1);
        return new CustomModel(in.readBoolean());
    }
}
