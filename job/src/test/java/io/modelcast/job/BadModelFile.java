package io.modelcast.job;

import io.modelcast.job.modelupdates.ModelValidator;
import io.modelcast.model.file.ModelFile;
import io.modelcast.model.file.ModelFileCodec;
import io.modelcast.model.file.ModelFileException.Reason;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Every kind of bad model file the job must refuse, each with the reason code it must give. The
 * bytes are derived from a valid file of the given version, so each is wrong in one way only.
 */
public enum BadModelFile {
    INVALID_JSON(Reason.BAD_JSON.name()) {
        @Override
        public byte[] bytes(long version) {
            return "{\"formatVersion\": 1, \"type\": custom".getBytes(StandardCharsets.UTF_8);
        }
    },
    TRUNCATED(Reason.BAD_JSON.name()) {
        @Override
        public byte[] bytes(long version) {
            byte[] valid = TestModels.fileBytes(version, true);
            return Arrays.copyOf(valid, valid.length / 2);
        }
    },
    ZERO_BYTES(Reason.EMPTY.name()) {
        @Override
        public byte[] bytes(long version) {
            return new byte[0];
        }
    },
    UNKNOWN_TYPE(Reason.UNKNOWN_TYPE.name()) {
        @Override
        public byte[] bytes(long version) {
            return edited(version, json -> json.put("type", "gradient-boosted-unicorn"));
        }
    },
    UNKNOWN_FORMAT_VERSION(Reason.UNSUPPORTED_FORMAT_VERSION.name()) {
        @Override
        public byte[] bytes(long version) {
            return edited(version, json -> json.put("formatVersion", ModelFileCodec.FORMAT_VERSION + 1));
        }
    },
    CHECKSUM_MISMATCH(Reason.CHECKSUM_MISMATCH.name()) {
        @Override
        public byte[] bytes(long version) {
            return edited(version, json -> ((ObjectNode) json.get("parameters")).put("isCloned", false));
        }
    },
    /** A valid file padded past {@link #SIZE_LIMIT} with trailing white space. */
    OVER_SIZE_LIMIT(Reason.TOO_LARGE.name()) {
        @Override
        public byte[] bytes(long version) {
            byte[] valid = TestModels.fileBytes(version, true);
            byte[] padded = Arrays.copyOf(valid, SIZE_LIMIT + 1);
            Arrays.fill(padded, valid.length, padded.length, (byte) ' ');
            return padded;
        }
    },
    /** A valid file of another version than its name says, as a careless copy would make. */
    NAMED_FOR_ANOTHER_VERSION(ModelValidator.VERSION_MISMATCH) {
        @Override
        public byte[] bytes(long version) {
            return TestModels.fileBytes(version + 100, true);
        }
    },
    PROBE_FAILS(ModelValidator.PROBE_FAILED) {
        @Override
        public byte[] bytes(long version) {
            ProbeFailingModelType.register();
            return CODEC.encode(ModelFile.create(version, TestModels.CREATED, new ProbeFailingModelType.FailingModel(-7)));
        }
    };

    /** The size limit to run with so that {@link #OVER_SIZE_LIMIT} is over it and valid files are not. */
    public static final int SIZE_LIMIT = 4096;

    private static final ModelFileCodec CODEC = new ModelFileCodec();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String reason;

    BadModelFile(String reason) {
        this.reason = reason;
    }

    /** The reason code the job gives for this kind of file. */
    public String reason() {
        return reason;
    }

    /** The content of such a file, to be named for the given version: {@code model-<version>.json}. */
    public abstract byte[] bytes(long version);

    private static byte[] edited(long version, Consumer<ObjectNode> edit) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(TestModels.fileBytes(version, true));
            edit.accept(json);
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
