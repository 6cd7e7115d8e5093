package io.modelcast.job.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * What the async remote-scoring step takes, and holds in its checkpointed queue while the call is
 * in flight: a {@link RemoteRequest} — or, restored from a savepoint of a build up to e84b367, a
 * {@link RemoteBatch} in that build's form, which becomes a request when the call is made again.
 * Written by {@link RemoteRequestSerializer}, always in the current form.
 */
@TypeInfo(RemoteCallInFlight.Info.class)
public sealed interface RemoteCallInFlight permits RemoteRequest, RemoteBatch {

    /** The request to make. */
    RemoteRequest request();

    /** Flink's type information: {@link RemoteRequestSerializer}. */
    final class Info extends TypeInfoFactory<RemoteCallInFlight> {
        @Override
        public TypeInformation<RemoteCallInFlight> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(RemoteCallInFlight.class, RemoteRequestSerializer.INSTANCE);
        }
    }
}
