package io.modelcast.console;

import io.modelcast.model.file.ModelFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry view of the published models ({@link ModelSource}: a directory or a model topic): per model name, its versions, newest first (at most
 * {@link #MAX_VERSIONS}), each with its type, publication time, role, lineage ({@code promotedFrom}),
 * rollout, training metrics and feature names. Read from the files on every call (the fitter may
 * publish at any moment); a file that cannot be read is listed with the reason, not skipped silently.
 */
final class ModelRegistry {

    /** The most versions listed per name: the newest. */
    static final int MAX_VERSIONS = 100;

    private final ObjectMapper json;
    private final ModelSource source;

    ModelRegistry(ObjectMapper json, ModelSource source) {
        this.json = json;
        this.source = source;
    }

    /** {@code {"names": [{"name": …, "versions": [...]}], "warnings": [...]}}. */
    ObjectNode read() throws IOException {
        ObjectNode registry = json.createObjectNode();
        ArrayNode names = registry.putArray("names");
        ArrayNode warnings = registry.putArray("warnings");
        for (String name : source.names(ignored -> warnings.add("not a model name: " + ignored))) {
            ObjectNode entry = names.addObject().put("name", name);
            entry.set("versions", versions(name, warnings));
        }
        return registry;
    }

    /** The newest version of each name, for the live feed: {@code {name: version}}. */
    ObjectNode newest() throws IOException {
        ObjectNode newest = json.createObjectNode();
        for (String name : source.names(ignored -> {})) {
            List<Long> versions = source.versions(name);
            if (!versions.isEmpty()) {
                newest.put(name, versions.get(0));
            }
        }
        return newest;
    }

    private ArrayNode versions(String name, ArrayNode warnings) throws IOException {
        ArrayNode versions = json.createArrayNode();
        boolean championSeen = false;
        boolean challengerSeen = false;
        List<Long> listed = new ArrayList<>(source.versions(name));
        for (long version : listed.subList(0, Math.min(MAX_VERSIONS, listed.size()))) {
            ObjectNode entry = versions.addObject().put("version", version);
            ModelFile file;
            try {
                file = source.read(name, version);
            } catch (NoSuchFileException e) {
                versions.remove(versions.size() - 1);
                continue;
            } catch (IOException e) {
                entry.put("unreadable", e.getMessage());
                warnings.add("version " + version + ": " + e.getMessage());
                continue;
            }
            try {
                String role;
                if (file.isChallenger()) {
                    role = championSeen || challengerSeen ? "earlier challenger" : "challenger";
                    challengerSeen = true;
                } else {
                    role = championSeen ? "earlier" : "champion";
                    championSeen = true;
                }
                describe(file, role, entry);
            } finally {
                file.model().close();
            }
        }
        return versions;
    }

    private void describe(ModelFile file, String role, ObjectNode entry) {
        entry.put("type", file.type()).put("createdAt", file.createdAt().toString()).put("role", role);
        file.promotedFrom().ifPresent(from -> entry.put("promotedFrom", from));
        file.rollout().ifPresent(rollout -> entry.put("rollout", rollout.describe()));
        JsonNode evaluation = file.parameters().get("evaluation");
        if (evaluation != null && evaluation.isObject()) {
            entry.set("evaluation", evaluation.deepCopy());
        }
        file.featureSpec().ifPresent(spec -> {
            ArrayNode features = entry.putArray("features");
            spec.names().forEach(features::add);
        });
    }
}
