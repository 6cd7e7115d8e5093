package io.modelcast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcast.bench.Stats.Distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static final Machine MACHINE = new Machine("Test CPU", 2, 8, "Linux", "17");

    static Results results() {
        Results.Throughput p1 = Results.Throughput.of(1, 1000, List.of(10e6, 12e6, 11e6), List.of(9e6, 9e6, 9e6),
                List.of(9.9e6, 10.5e6, 10.0e6), List.of());
        Results.Throughput p2 = Results.Throughput.of(2, 1000, List.of(8e6), List.of(8e6), List.of(7.8e6), List.of(1.3e6, 1.5e6, 1.4e6));
        List<Double> last = List.of(60.0, 80.0, 300.0);
        Results.SwapLatency swap500 = new Results.SwapLatency(2, 500, 3, Distribution.of(List.of(50.0, 60.0, 70.0, 80.0, 90.0, 300.0)),
                Distribution.of(last), last);
        Results.SwapLatency swap100 = new Results.SwapLatency(4, 100, 3, Distribution.of(last), Distribution.of(last), last);
        Results.Scale scale = new Results.Scale(10_000, 2, 500, 7.5e6, Distribution.of(last));
        KafkaThroughput.Result kafka = new KafkaThroughput.Result("exactly-once", KafkaThroughput.Settings.KAFKA_DEFAULTS,
                List.of(86_594.0, 80_000.0, 90_000.0), List.of(90_000.0, 88_000.0, 91_000.0), null);
        KafkaThroughput.Result tuned = new KafkaThroughput.Result("exactly-once", KafkaThroughput.Settings.TUNED,
                List.of(120_000.0), List.of(100_000.0), new KafkaThroughput.Latency(680, 1249, 1500));
        JfrProfile profile = new JfrProfile(1000, Map.of("Source: socket", 60.0), Map.of("Long.getChars", 12.5), Map.of("Thread.run", 99.0));
        RealModels.Result real = new RealModels.Result(List.of(
                new RealModels.Throughput("logistic", 64, 2_000_000, List.of(500_000.0, 510_000.0, 490_000.0), 500_000),
                new RealModels.Throughput("onnx", 1, 2_000_000, List.of(40_000.0), 40_000),
                new RealModels.Throughput("onnx", 256, 2_000_000, List.of(450_000.0), 450_000),
                new RealModels.Throughput("onnx-deep", 1, 500_000, List.of(20_000.0), 20_000),
                new RealModels.Throughput("onnx-deep", 64, 500_000, List.of(130_000.0), 130_000),
                new RealModels.Throughput("onnx-wide", 1, 4_000, List.of(400.0), 400),
                new RealModels.Throughput("onnx-wide", 64, 4_000, List.of(1_600.0), 1_600)),
                10_200_000, Distribution.of(last), last, new SwapEffects.Summary(new SwapEffects.Figures(5_000, 0.8, 1.5, 12.5),
                        new SwapEffects.Figures(90_000, 0.5, 0.75, 30.0), new SwapEffects.Figures(5_000, 4.0, 40.5, 61.0),
                        new SwapEffects.Figures(90_000, 3.0, 20.25, 35.0)));
        return new Results("2026-11-21T00:00:00Z", "full", "bin/bench", MACHINE, List.of(p1, p2), List.of(swap500, swap100),
                List.of(scale), List.of(kafka, tuned), real,
                List.of(new CheckpointSize.Result(50_000_339, 1, 36_990, 50_037_046), new CheckpointSize.Result(50_000_339, 8, 44_013, 400_044_377)),
                profile, List.of());
    }

    @Test
    void throughputRatiosAreOfMediansAndTheTargetIsJudgedOnTheRatio() {
        Results.Throughput p1 = results().throughput().get(0);
        assertThat(p1.baselineMedian()).isEqualTo(11e6);
        assertThat(p1.hopMedian()).isEqualTo(9e6);
        assertThat(p1.broadcastMedian()).isEqualTo(10.0e6);
        assertThat(p1.ratio()).isCloseTo(10.0 / 11, Offset.offset(1e-9));
        assertThat(p1.hopRatio()).isCloseTo(10.0 / 9, Offset.offset(1e-9));

        String md = Report.markdown(results());
        assertThat(md).contains("| 1 | 1,000 | 11.00 | 9.00 | 10.00 | 0.91 | 1.11 | 3 | missed |");
        assertThat(md).contains("| 2 | 1,000 | 8.00 | 8.00 | 7.80 | 0.98 | 0.98 | 1 | met |");
        // Spark beside parallelism 2 only: its median, its runs, and the job's multiple of it.
        assertThat(md).contains("median 1.40 M/s (runs [1.30, 1.50, 1.40]). The job's broadcast graph at parallelism 2 does 5.6× that.");
    }

    @Test
    void swapLatencyTargetsDependOnThePollInterval() {
        String md = Report.markdown(results());
        // 300 ms at p99: within the 1 s target of the 500 ms poll, over the 250 ms target of the 100 ms poll.
        assertThat(md).contains("| 2 | 500 ms | 3 | 80 | 300 | 300 | 300 | 70 | 300 | met |");
        assertThat(md).contains("| 4 | 100 ms | 3 | 80 | 300 | 300 | 300 | 80 | 300 | missed |");
    }

    @Test
    void theTableNamesTheMachineTheCommandEveryScenarioAndTheProfile() {
        String md = Report.markdown(results());
        assertThat(md).contains("Machine: Test CPU, 2 cores, 8 GiB, Linux, Java 17").contains("Command: `bin/bench`");
        assertThat(md).contains("| 10,000 | 2 | 7.50 | 500 ms | 80 | 300 | 300 |");
        assertThat(md).contains("| exactly-once | kafka-defaults | 86,594 | 90,000 | 0.96 | met | – | – | – | [86,594, 80,000, 90,000] | [90,000, 88,000, 91,000] |")
                .contains("| exactly-once | tuned | 120,000 | 100,000 | 1.20 | met | 680 | 1249 | 1500 | [120,000] | [100,000] |")
                .contains("The job as it ships against plain Flink as it ships (exactly-once): 1.33× — past plain Flink.");
        assertThat(md).contains("| `Long.getChars` | 12.5% |");
        assertThat(md).contains("| logistic | 64 | 2,000,000 | 500,000 | [500,000, 510,000, 490,000] |")
                .contains("| onnx | 1 | 2,000,000 | 40,000 | [40,000] |")
                .contains("Swap latency of a 10.2 MB ONNX model").contains("p50 80 ms, p99 300 ms, max 300 ms over 3 publishes")
                .contains("Batching on `onnx-deep`: batch 64 does 6.5× the records/s of batch 1. Target: ≥ 5× — met")
                .contains("Batching on `onnx-wide`: batch 64 does 4.0× the records/s of batch 1. Target: ≥ 5× — missed")
                .contains("`onnx-wide` (1024 features, hidden layers of 4096 and 2048 units: 50.3 MB of weights, which do not")
                .contains("at most 12.5 ms (p99 1.50 ms, 5,000 gaps) while a swap was under way, and at most 30.0 ms")
                .contains("no gap over 50 ms caused by a swap — met")
                .contains("| during swaps | 5,000 | 4.0 | 40.5 | 61.0 |")
                .contains("| otherwise | 90,000 | 3.0 | 20.3 | 35.0 |")
                .contains("## 6. Checkpoint size").contains("within 64 KiB) — met").contains("| 8 | 44,013 | 400,044,377 |");
        assertThat(Report.summary(results())).contains("real onnx batch 256: 450000 records/s");
        assertThat(md).doesNotContain("## Failures");
    }

    @Test
    void failuresAreListed() {
        Results r = results();
        Results failed = new Results(r.date(), "quick", r.command(), r.machine(), List.of(), List.of(), List.of(), List.of(), null, List.of(), null,
                List.of("4. Kafka: java.io.IOException: broker did not start"));
        String md = Report.markdown(failed);
        assertThat(md).contains("quick smoke run").contains("## Failures").contains("- 4. Kafka: java.io.IOException: broker did not start");
        assertThat(Report.summary(failed)).contains("FAILED: 4. Kafka");
    }

    @Test
    void writesJsonMarkdownAndChartsThatCanBeReadBack(@TempDir Path directory) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Report.write(results(), directory);

        JsonNode json = new ObjectMapper().readTree(directory.resolve("results.json").toFile());
        assertThat(json.get("throughput").get(0).get("ratio").asDouble()).isCloseTo(10.0 / 11, Offset.offset(1e-9));
        assertThat(json.get("swapLatency").get(1).get("lastSubtask").get("p99").asDouble()).isEqualTo(300.0);
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(Files.readString(directory.resolve("results.md"))).isEqualTo(Report.markdown(results()));
        for (String chart : List.of("throughput.png", "swap-latency.png")) {
            var image = ImageIO.read(directory.resolve(chart).toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).as(chart).isEqualTo(900);
        }
    }
}
