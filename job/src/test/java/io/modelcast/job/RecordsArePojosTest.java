package io.modelcast.job;

import io.modelcast.job.drift.DriftCounts;
import io.modelcast.job.labels.EvaluationFigures;
import io.modelcast.job.labels.Label;
import io.modelcast.job.labels.LabelledPrediction;
import io.modelcast.job.labels.Prediction;
import io.modelcast.job.records.DeadLetter;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.KafkaInput;
import io.modelcast.job.records.RecordOrigin;
import io.modelcast.job.records.ModelFileBytes;
import io.modelcast.job.records.ModelUpdate;
import io.modelcast.job.records.RejectedModel;
import io.modelcast.job.records.RejectedRecord;
import io.modelcast.job.records.RemoteBatch;
import io.modelcast.job.records.RemoteCall;
import io.modelcast.job.records.ScoredRecord;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record type travels with Flink's POJO serializer, never Kryo or Java serialization — but
 * the batches, results and remote requests, which have their own ({@code BatchSerializersTest},
 * {@code ResultSerializersTest}). The legacy remote-call classes must stay POJOs: Flink reads the
 * remote calls in flight of older savepoints with the POJO serializer.
 */
class RecordsArePojosTest {

    @ParameterizedTest
    @ValueSource(classes = {
        InputRecord.class, RejectedRecord.class,
        ModelFileBytes.class, ModelUpdate.class, RejectedModel.class,
        RecordOrigin.class, KafkaInput.class, DeadLetter.class,
        ScoredRecord.class, RemoteCall.class, RemoteBatch.class,
        Label.class, Prediction.class, LabelledPrediction.class, EvaluationFigures.class, DriftCounts.class
    })
    void isSerializedAsAPojoWithoutKryo(Class<?> recordClass) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(recordClass);
    }
}
