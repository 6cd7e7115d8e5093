package io.modelcast.job.testing;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finds the operators of a graph that have no uid, so a savepoint could not be mapped back to them. */
public final class Uids {

    private Uids() {}

    /** The names of the graph's operators, sources and sinks without a uid (virtual nodes excluded). */
    public static List<String> missingIn(StreamExecutionEnvironment env) {
        Set<Transformation<?>> all = new LinkedHashSet<>();
        for (Transformation<?> transformation : env.getTransformations()) {
            all.addAll(transformation.getTransitivePredecessors());
        }
        return all.stream()
                .filter(t -> !(t instanceof PartitionTransformation
                        || t instanceof UnionTransformation
                        || t instanceof SideOutputTransformation))
                .filter(t -> t.getUid() == null)
                .map(Transformation::getName)
                .toList();
    }
}
