package io.modelcast.fitter;

import io.modelcast.cli.KafkaClientOptions;
import io.modelcast.model.ModelName;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.repository.ModelDirectory;
import io.modelcast.model.repository.ModelRepository;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where a subcommand's models are — {@code --models DIR}, or {@code --to-kafka TOPIC} on the brokers
 * of {@code --bootstrap-servers} — and {@code --name NAME}. The Kafka client settings
 * ({@code --kafka-properties}, {@code --kafka-property}) serve every Kafka client of the command.
 */
final class ModelsOption {

    /** The largest model the fitter sends to a topic: the job's default size limit. */
    static final int MAX_TOPIC_MODEL_BYTES = 64 * 1024 * 1024;

    @Option(
            names = "--models",
            paramLabel = "DIR",
            description = "The models directory: where models are published and read from. This or --to-kafka.")
    Path directory;

    @Option(
            names = "--to-kafka",
            paramLabel = "TOPIC",
            description = "Publish to, and read the versions from, this Kafka topic instead of a directory (key: the"
                    + " model name; value: the model file, as on disk); versions stay unique across fitters on any"
                    + " machine. Needs --bootstrap-servers. This or --models.")
    String topic;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,…]",
            description = "Kafka's brokers, for --to-kafka and the command's other topics.")
    String bootstrapServers;

    @Mixin KafkaClientOptions kafkaClients = new KafkaClientOptions();

    @Option(
            names = "--name",
            defaultValue = ModelName.DEFAULT,
            paramLabel = "NAME",
            converter = NameConverter.class,
            description = "The model's name: its versions live in DIR/NAME/ (the default model's in DIR itself), or"
                    + " under key NAME on the topic. " + ModelName.RULE + ". Default: ${DEFAULT-VALUE}.")
    String name;

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    /** Opens the name's versions (creating its directory for a new name), failing with its path if DIR does not exist. */
    ModelDirectory open() throws IOException {
        return onTopic() ? topicVersions() : ModelRepository.open(directory).directory(name);
    }

    /** Opens the versions of a name that exists, for commands that only read or republish. */
    ModelDirectory openExisting() throws IOException {
        return onTopic() ? topicVersions() : ModelRepository.open(directory).existing(name);
    }

    /** Reads the versions from {@code topic} (list --from-kafka). */
    void readFrom(String topic) {
        this.topic = topic;
    }

    /** The brokers, or a usage error naming the option that needs them. */
    String bootstrapServers(String neededBy) {
        if (bootstrapServers == null) {
            throw new ParameterException(command.commandLine(), neededBy + " needs --bootstrap-servers");
        }
        return bootstrapServers;
    }

    private boolean onTopic() {
        if (topic != null && directory != null) {
            throw new ParameterException(command.commandLine(), "--models and --to-kafka: give one of them");
        }
        if (topic == null && directory == null) {
            throw new ParameterException(command.commandLine(), "Missing --models DIR (or --to-kafka TOPIC)");
        }
        return topic != null;
    }

    private ModelDirectory topicVersions() {
        return ModelDirectory.on(new TopicVersions(bootstrapServers("--to-kafka"), kafkaClients, topic, name,
                MAX_TOPIC_MODEL_BYTES), new ModelFileCodec(), Clock.systemUTC());
    }

    /** A usage error, not a stack trace, for a name that is not one. */
    static final class NameConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!ModelName.isValid(value)) {
                throw new TypeConversionException(ModelName.describeInvalid(value));
            }
            return value;
        }
    }
}
