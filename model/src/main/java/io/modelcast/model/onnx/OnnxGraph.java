package io.modelcast.model.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models ({@code ModelProto}) from the field numbers of the ONNX specification's
 * {@code onnx.proto}: float tensors as graph inputs, outputs and initializers, and nodes without
 * attributes. Enough for a logistic regression ({@code MatMul → Add → Sigmoid}) and for test
 * models; not a general ONNX builder.
 */
public final class OnnxGraph {

    /** {@code TensorProto.DataType.FLOAT}. */
    public static final int FLOAT = 1;
    /** {@code TensorProto.DataType.INT64}. */
    public static final int INT64 = 7;
    /** The IR version written: ONNX 1.7, which every ONNX Runtime of the last years reads. */
    static final long IR_VERSION = 7;
    /** The default-domain operator set written. */
    static final long OPSET = 13;

    private final String name;
    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    private final List<String[]> metadata = new ArrayList<>();

    public OnnxGraph(String name) {
        this.name = name;
    }

    /**
     * A graph input or output's shape: a number is a fixed dimension, a string a named (free) one,
     * such as {@code "batch"}.
     */
    public OnnxGraph input(String tensor, int elementType, Object... shape) {
        inputs.add(valueInfo(tensor, elementType, shape));
        return this;
    }

    public OnnxGraph output(String tensor, int elementType, Object... shape) {
        outputs.add(valueInfo(tensor, elementType, shape));
        return this;
    }

    /** A constant float tensor of the given dimensions. */
    public OnnxGraph initializer(String tensor, float[] values, long... dims) {
        Protobuf t = new Protobuf();
        for (long dim : dims) {
            t.int64(1, dim); // TensorProto.dims
        }
        t.int64(2, FLOAT) // data_type
                .packedFloats(4, values) // float_data
                .string(8, tensor); // name
        initializers.add(t);
        return this;
    }

    /** A node of the default domain without attributes. */
    public OnnxGraph node(String opType, List<String> nodeInputs, List<String> nodeOutputs) {
        Protobuf node = new Protobuf();
        nodeInputs.forEach(i -> node.string(1, i)); // NodeProto.input
        nodeOutputs.forEach(o -> node.string(2, o)); // output
        node.string(3, opType + "_" + nodes.size()) // name
                .string(4, opType); // op_type
        nodes.add(node);
        return this;
    }

    /** A key-value pair of the model's {@code metadata_props}. */
    public OnnxGraph metadata(String key, String value) {
        metadata.add(new String[] {key, value});
        return this;
    }

    /** The serialized {@code ModelProto}. */
    public byte[] toByteArray() {
        Protobuf graph = new Protobuf();
        nodes.forEach(n -> graph.message(1, n)); // GraphProto.node
        graph.string(2, name); // name
        initializers.forEach(t -> graph.message(5, t)); // initializer
        inputs.forEach(i -> graph.message(11, i)); // input
        outputs.forEach(o -> graph.message(12, o)); // output

        Protobuf model = new Protobuf()
                .int64(1, IR_VERSION) // ModelProto.ir_version
                .string(2, "modelcast") // producer_name
                .message(7, graph) // graph
                .message(8, new Protobuf().string(1, "").int64(2, OPSET)); // opset_import
        for (String[] entry : metadata) {
            model.message(14, new Protobuf().string(1, entry[0]).string(2, entry[1])); // metadata_props
        }
        return model.toByteArray();
    }

    private static Protobuf valueInfo(String tensor, int elementType, Object... shape) {
        Protobuf dims = new Protobuf();
        for (Object dim : shape) {
            Protobuf dimension = new Protobuf();
            if (dim instanceof Number n) {
                dimension.int64(1, n.longValue()); // Dimension.dim_value
            } else {
                dimension.string(2, dim.toString()); // dim_param
            }
            dims.message(1, dimension); // TensorShapeProto.dim
        }
        Protobuf tensorType = new Protobuf().int64(1, elementType).message(2, dims); // TypeProto.Tensor
        return new Protobuf().string(1, tensor).message(2, new Protobuf().message(1, tensorType)); // ValueInfoProto
    }
}
