package io.modelcast.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

class OldestVersionFirstAssignerTest {

    @Test
    void handsOutVersionsInPublishingOrderWhateverTheListingOrder() {
        OldestVersionFirstAssigner assigner = new OldestVersionFirstAssigner(
                List.of(split("model-10.json", 5), split("stray.txt", 1), split("model-9.json", 9), split("model-2.json", 7)));
        assigner.addSplits(List.of(split("model-1.json", 8), split("notes.json", 0)));

        List<String> order = new ArrayList<>();
        for (Optional<FileSourceSplit> next; (next = assigner.getNext(null)).isPresent(); ) {
            order.add(next.get().path().getName());
        }

        assertThat(order).containsExactly(
                "model-1.json", "model-2.json", "model-9.json", "model-10.json", "notes.json", "stray.txt");
    }

    @Test
    void remainingSplitsAreWhatWasNotHandedOut() {
        OldestVersionFirstAssigner assigner = new OldestVersionFirstAssigner(List.of(split("model-1.json", 0), split("model-2.json", 0)));
        assigner.getNext(null);

        assertThat(assigner.remainingSplits()).extracting(s -> s.path().getName()).containsExactly("model-2.json");
    }

    private static FileSourceSplit split(String name, long modificationTime) {
        return new FileSourceSplit(name, new Path("/models/" + name), 0, 10, modificationTime, 10);
    }
}
