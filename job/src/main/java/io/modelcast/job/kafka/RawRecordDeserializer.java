package io.modelcast.job.kafka;

import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.RecordOrigin;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes every Kafka record on as bytes plus where it was read. It never fails: checking the
 * bytes is the next operator's job, which sends bad records to the dead-letter topic. (A
 * deserializer that throws would fail the job on every replay of the same record.)
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaInput> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaInput> out) {
        out.collect(new KafkaInput(record.value(),
                new RecordOrigin(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key())));
    }

    @Override
    public TypeInformation<KafkaInput> getProducedType() {
        return TypeInformation.of(KafkaInput.class);
    }
}
