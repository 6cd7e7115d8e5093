package io.modelcast.job.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcast.job.records.InputBatch;
import io.modelcast.job.records.InputBatchBuilder;
import io.modelcast.job.records.InputRecord;
import io.modelcast.job.records.RecordOrigin;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The canary's share: close to its percentage, by id alone, and per name. */
class CanarySplitTest {

    @Test
    void tenPercentOfAHundredThousandIdsGoToTheCanary() {
        InputBatch batch = ids("user-", 100_000);
        int canaries = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (CanarySplit.toCanary("default", batch, i, 10)) {
                canaries++;
            }
        }
        assertThat(canaries).isBetween(9_000, 11_000);
    }

    @Test
    void theSameIdLandsOnTheSameSideWhereverItIsInABatch() {
        InputBatch forward = ids("u", 1000);
        InputBatchBuilder reversed = new InputBatchBuilder(1000, 16_000);
        for (int i = 999; i >= 0; i--) {
            reversed.add(InputRecord.features("x", new float[] {1}, "u" + i, null));
        }
        InputBatch backward = reversed.build();
        for (int i = 0; i < 1000; i++) {
            assertThat(CanarySplit.bucket("default", backward, 999 - i)).isEqualTo(CanarySplit.bucket("default", forward, i));
        }
    }

    @Test
    void sharesGrowWithThePercentageAndNamesSplitIndependently() {
        InputBatch batch = ids("id-", 20_000);
        int sameSide = 0;
        for (int i = 0; i < batch.size(); i++) {
            boolean at5 = CanarySplit.toCanary("fraud", batch, i, 5);
            if (at5) {
                assertThat(CanarySplit.toCanary("fraud", batch, i, 50)).as("a canary at 5 %% stays one at 50 %%").isTrue();
            }
            assertThat(CanarySplit.toCanary("fraud", batch, i, 100)).isTrue();
            if (CanarySplit.toCanary("fraud", batch, i, 50) == CanarySplit.toCanary("churn", batch, i, 50)) {
                sameSide++;
            }
        }
        assertThat(sameSide).as("two names' halves are independent").isBetween(9_000, 11_000);
    }

    @Test
    void withoutAnIdTheKafkaKeyThenThePositionThenTheTextDecide() {
        InputBatchBuilder builder = new InputBatchBuilder(4, 64);
        byte[] a = "7".getBytes(StandardCharsets.UTF_8);
        builder.add(a, 0, 1, 7, new RecordOrigin("s0", 0, 1, 0, "key-1".getBytes(StandardCharsets.UTF_8)));
        builder.add(a, 0, 1, 7, new RecordOrigin("s0", 3, 99, 0, "key-1".getBytes(StandardCharsets.UTF_8)));
        builder.add(a, 0, 1, 7, new RecordOrigin("s0", 0, 5, 0, null));
        builder.add(a, 0, 1, 7, new RecordOrigin("s0", 1, 5, 0, null));
        InputBatch batch = builder.build();
        assertThat(CanarySplit.bucket("default", batch, 0)).as("same key").isEqualTo(CanarySplit.bucket("default", batch, 1));
        assertThat(CanarySplit.bucket("default", batch, 2)).as("same offset, other partition")
                .isNotEqualTo(CanarySplit.bucket("default", batch, 3));
        InputBatch texts = InputBatch.of(List.of(new InputRecord("7", 7), new InputRecord("7", 7), new InputRecord("8", 8)));
        assertThat(CanarySplit.bucket("default", texts, 0)).isEqualTo(CanarySplit.bucket("default", texts, 1));
    }

    private static InputBatch ids(String prefix, int count) {
        InputBatchBuilder builder = new InputBatchBuilder(count, 16 * count);
        for (int i = 0; i < count; i++) {
            builder.add(InputRecord.features("x", new float[] {1}, prefix + i, null));
        }
        return builder.build();
    }
}
