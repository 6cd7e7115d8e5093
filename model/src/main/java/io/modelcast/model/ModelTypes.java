package io.modelcast.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcast.model.onnx.OnnxModelType;
import io.modelcast.model.remote.RemoteModelType;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;


/** The registry of model types this build knows, by the name used in model files. */
public final class ModelTypes {

    private static final Map<String, ModelType<?>> BY_NAME = new ConcurrentSkipListMap<>();

    static {
        register(new CustomModelType());
        register(new LogisticModelType());
        register(new OnnxModelType());
        register(new RemoteModelType());
    }

    private ModelTypes() {}

    /**
     * Adds a model type, for extensions (and tests) beyond the built-in ones. Register it the same
     * way in every process that reads or writes its files: the fitter, and the job's JobManager and
     * TaskManagers.
     */
    public static synchronized void register(ModelType<?> type) {
        BY_NAME.put(type.name(), type);
    }

    /** The type with that name, if this build knows it. */
    public static Optional<ModelType<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The names of all known types, sorted, for error messages. */
    public static String knownNames() {
        return String.join(", ", BY_NAME.keySet());
    }

    /** The parameters object of a model, as its type writes it into a model file. */
    public static ObjectNode parametersOf(Model model) {
        return parametersOf(typeOf(model), model);
    }

    private static <M extends Model> ObjectNode parametersOf(ModelType<M> type, Model model) {
        return type.toParameters(type.modelClass().cast(model));
    }

    static ModelType<?> typeOf(Model model) {
        ModelType<?> type = BY_NAME.get(model.typeName());
        if (type == null || !type.modelClass().isInstance(model)) {
            throw new IllegalArgumentException(
                    "no registered model type for " + model.getClass().getName());
        }
        return type;
    }
}
