package io.modelcast.job.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

class ModelStoreTest {

    @TempDir Path dir;

    @Test
    void aCopyIsNamedByItsSha256AndReadBackChecked() throws IOException {
        ModelStore store = new ModelStore(dir.resolve("store").toUri().toString());
        byte[] bytes = "a model's binary form".getBytes(StandardCharsets.UTF_8);

        ModelBytes.Stored stored = store.put(bytes);

        assertThat(stored.sha256()).isEqualTo(ModelStore.sha256(bytes)).hasSize(64);
        assertThat(stored.length()).isEqualTo(bytes.length);
        assertThat(stored.location()).endsWith("/store/" + stored.sha256() + ".bin");
        assertThat(stored.read()).isEqualTo(bytes);
        assertThat(files()).as("no temporary file is left").containsExactly(stored.sha256() + ".bin");
    }

    @Test
    void theSameBytesAreStoredOnce() throws IOException {
        ModelStore store = new ModelStore(dir.resolve("store").toString());
        byte[] bytes = {1, 2, 3};

        ModelBytes.Stored first = store.put(bytes);
        long written = Files.getLastModifiedTime(Path.of(java.net.URI.create(first.location()))).toMillis();
        ModelBytes.Stored second = store.put(bytes);

        assertThat(second).isEqualTo(first);
        assertThat(files()).hasSize(1);
        assertThat(Files.getLastModifiedTime(Path.of(java.net.URI.create(second.location()))).toMillis()).isEqualTo(written);
    }

    @Test
    void aDamagedOrMissingCopyIsAnErrorThatSaysWhat() throws IOException {
        ModelStore store = new ModelStore(dir.resolve("store").toUri().toString());
        ModelBytes.Stored stored = store.put(new byte[] {1, 2, 3, 4});
        Path file = Path.of(java.net.URI.create(stored.location()));

        Files.write(file, new byte[] {1, 2, 3, 5});
        assertThatThrownBy(stored::read).isInstanceOf(IOException.class).hasMessageContaining("SHA-256");

        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(stored::read).isInstanceOf(IOException.class).hasMessageContaining("not the 4 that were stored");

        Files.delete(file);
        assertThatThrownBy(stored::read).isInstanceOf(IOException.class);
        assertThat(store.delete(stored)).isFalse();
    }

    @Test
    void retentionKeepsTheLastUpdatesOfEachNameAndCopiesAnotherNameStillUses() {
        StoreRetention retention = new StoreRetention(2);
        ModelBytes.Stored a = copy("a");
        ModelBytes.Stored b = copy("b");
        ModelBytes.Stored c = copy("c");
        ModelBytes.Stored shared = copy("shared");

        assertThat(retention.stored("one", List.of(a))).isEmpty();
        assertThat(retention.stored("two", List.of(shared))).isEmpty();
        assertThat(retention.stored("one", List.of(b, shared))).isEmpty();
        assertThat(retention.stored("one", List.of(c))).containsExactly(a);
        assertThat(retention.stored("one", List.of(c))).as("shared is still named by model two").containsExactly(b);
    }

    private static ModelBytes.Stored copy(String sha256) {
        return new ModelBytes.Stored(sha256, 1, "file:///store/" + sha256 + ".bin");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("store"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
