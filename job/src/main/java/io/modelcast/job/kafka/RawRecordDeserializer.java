package io.modelcast.job.kafka;

import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.RecordOrigin;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Passes every Kafka record on as bytes plus where it was read and the model its {@value
 * #MODEL_HEADER} header names. It never fails: checking the
 * bytes is the next operator's job, which sends bad records to the dead-letter topic. (A
 * deserializer that throws would fail the job on every replay of the same record.)
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaInput> {

    private static final long serialVersionUID = 1L;

    /** The header naming a record's model; a record without it goes to the job's {@code --model-name}. */
    public static final String MODEL_HEADER = "modelcast-model";

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaInput> out) {
        Header model = record.headers().lastHeader(MODEL_HEADER);
        out.collect(new KafkaInput(record.value(),
                new RecordOrigin(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key()))
                .withModelHeader(model == null ? null : model.value()));
    }

    @Override
    public TypeInformation<KafkaInput> getProducedType() {
        return TypeInformation.of(KafkaInput.class);
    }
}
