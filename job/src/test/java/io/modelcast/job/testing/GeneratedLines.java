package io.modelcast.job.testing;

import io.modelcast.job.records.LineBatch;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** An endless, rate-limited stream of line batches standing in for the socket source in MiniCluster tests. */
public final class GeneratedLines {

    private GeneratedLines() {}

    /** {@code 0}..{@code 19} over and over, one line per batch. */
    public static DataStream<LineBatch> numbers(StreamExecutionEnvironment env, long batchesPerSecond) {
        return of(env, batchesPerSecond, i -> LineBatch.of(Long.toString(i % 20)));
    }

    /** Batch {@code i} made by {@code batch}, at one parallel instance. */
    public static DataStream<LineBatch> of(StreamExecutionEnvironment env, long batchesPerSecond,
            GeneratorFunction<Long, LineBatch> batch) {
        return of(env, batchesPerSecond, Long.MAX_VALUE, batch);
    }

    /** Batches {@code 0}..{@code count - 1} made by {@code batch}, at one parallel instance, then no more. */
    public static DataStream<LineBatch> of(StreamExecutionEnvironment env, long batchesPerSecond, long count,
            GeneratorFunction<Long, LineBatch> batch) {
        return env.fromSource(
                        new DataGeneratorSource<>(batch, count, RateLimiterStrategy.perSecond(batchesPerSecond),
                                TypeInformation.of(LineBatch.class)),
                        WatermarkStrategy.noWatermarks(),
                        "generated lines")
                .setParallelism(1);
    }
}
