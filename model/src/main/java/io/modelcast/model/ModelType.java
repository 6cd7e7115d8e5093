package io.modelcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One kind of model: how its parameters look in a model file and how to build the model from them.
 *
 * <p>Parameters are plain JSON data; a model type never runs code taken from a file.
 *
 * @param <M> the model class this type builds
 */
public interface ModelType<M extends Model> {

    /** The name written in the {@code type} field of a model file, for example {@code "custom"}. */
    String name();

    /** The class of the models this type builds. */
    Class<M> modelClass();

    /**
     * Builds a model from the {@code parameters} object of a model file.
     *
     * @throws InvalidParametersException if a parameter is missing or has the wrong form
     */
    M fromParameters(JsonNode parameters) throws InvalidParametersException;

    /** The {@code parameters} object that {@link #fromParameters} turns back into an equal model. */
    ObjectNode toParameters(M model);

    /**
     * Writes what scoring needs of the model in the compact form the job broadcasts to its scorers
     * and keeps in broadcast state, once the loader has validated the model file: no JSON, no
     * checksum, no evaluation. It is checkpointed, so it must stay readable: start with a format
     * number ({@link BinaryForm#writeFormat}) and let {@link #readBinary} read every format ever written.
     */
    void writeBinary(M model, DataOutput out) throws IOException;

    /**
     * Builds the model {@link #writeBinary} wrote.
     *
     * @throws IOException if the bytes are cut short or not of a known format
     */
    M readBinary(DataInput in) throws IOException;
}
