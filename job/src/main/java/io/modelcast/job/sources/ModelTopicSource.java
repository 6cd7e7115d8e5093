package io.modelcast.job.sources;

import io.modelcast.job.InputFormat;
import io.modelcast.job.records.ModelFileBytes;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Model versions from a Kafka topic (key: the model name; value: a model file's bytes, exactly as on
 * disk), as a Source (FLIP-27) beside or instead of the models directory: the same loader validates,
 * probes, gates and broadcasts them. One split for the whole topic, read by one reader
 * ({@link ModelTopicReader}); its offsets are in every checkpoint, so a restored job goes on where
 * the checkpoint was and applies nothing twice. Meant for parallelism 1.
 */
public final class ModelTopicSource
        implements Source<ModelFileBytes, ModelTopicSplit, ModelTopicEnumerator.Unassigned>, ResultTypeQueryable<ModelFileBytes> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final HashMap<String, String> consumerSettings;
    private final long maxModelBytes;
    private final InputFormat inputFormat;

    /**
     * @param topic the model topic
     * @param consumerSettings the consumer's settings: bootstrap.servers and what the cluster needs
     *     (security); isolation, deserializers and offsets are the source's own
     * @param maxModelBytes the size limit of a model file
     * @param inputFormat what the job reads: a model for the other kind of input is not valid
     */
    public ModelTopicSource(String topic, Map<String, String> consumerSettings, long maxModelBytes, InputFormat inputFormat) {
        this.topic = topic;
        this.consumerSettings = new HashMap<>(consumerSettings);
        this.maxModelBytes = maxModelBytes;
        this.inputFormat = inputFormat;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ModelFileBytes, ModelTopicSplit> createReader(SourceReaderContext context) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "modelcast-model-topic-" + topic);
        long limit = maxModelBytes;
        InputFormat format = inputFormat;
        return new Reader(() -> new ModelTopicReader(
                () -> new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer()), limit, format),
                context);
    }

    @Override
    public SplitEnumerator<ModelTopicSplit, ModelTopicEnumerator.Unassigned> createEnumerator(
            SplitEnumeratorContext<ModelTopicSplit> context) {
        return new ModelTopicEnumerator(context, new ModelTopicEnumerator.Unassigned(Optional.of(ModelTopicSplit.fromTheBeginning(topic))));
    }

    @Override
    public SplitEnumerator<ModelTopicSplit, ModelTopicEnumerator.Unassigned> restoreEnumerator(
            SplitEnumeratorContext<ModelTopicSplit> context, ModelTopicEnumerator.Unassigned checkpoint) {
        return new ModelTopicEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ModelTopicSplit> getSplitSerializer() {
        return new ModelTopicSplit.Serializer();
    }

    @Override
    public SimpleVersionedSerializer<ModelTopicEnumerator.Unassigned> getEnumeratorCheckpointSerializer() {
        return new ModelTopicEnumerator.StateSerializer();
    }

    @Override
    public TypeInformation<ModelFileBytes> getProducedType() {
        return TypeInformation.of(ModelFileBytes.class);
    }

    /** Where the reader is: the split's positions and catch-up flag, advanced as records go out. */
    static final class Position {
        private final String topic;
        private final Map<Integer, Long> positions;
        private boolean caughtUp;

        Position(ModelTopicSplit split) {
            this.topic = split.topic();
            this.positions = new TreeMap<>(split.positions());
            this.caughtUp = split.caughtUp();
        }

        void emitted(ModelTopicReader.Element element) {
            if (element.positionsAfter() != null) {
                positions.putAll(element.positionsAfter());
            }
            caughtUp |= element.caughtUp();
        }

        ModelTopicSplit toSplit() {
            return new ModelTopicSplit(topic, positions, caughtUp);
        }
    }

    /** Emits the records and advances the split's state as they go out. */
    private static final class Reader
            extends SingleThreadMultiplexSourceReaderBase<ModelTopicReader.Element, ModelFileBytes, ModelTopicSplit, Position> {

        Reader(java.util.function.Supplier<org.apache.flink.connector.base.source.reader.splitreader.SplitReader<
                ModelTopicReader.Element, ModelTopicSplit>> splitReader, SourceReaderContext context) {
            super(splitReader, (element, output, position) -> {
                if (element.file() != null) {
                    output.collect(element.file());
                }
                position.emitted(element);
            }, new Configuration(), context);
        }

        @Override
        public void start() {
            if (getNumberOfCurrentlyAssignedSplits() == 0) {
                context.sendSplitRequest();
            }
        }

        @Override
        protected void onSplitFinished(Map<String, Position> finishedSplitIds) {}

        @Override
        protected Position initializedState(ModelTopicSplit split) {
            return new Position(split);
        }

        @Override
        protected ModelTopicSplit toSplitType(String splitId, Position position) {
            return position.toSplit();
        }
    }
}
