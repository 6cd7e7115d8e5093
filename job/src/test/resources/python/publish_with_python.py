"""Test helper for PythonModelsITCase: publishes models with tools/python/modelcast_publish.py as a
Python user would, and writes the scores numpy expects for given CSV rows.

    publish_with_python.py MODELS custom true|false
    publish_with_python.py MODELS logistic ROWS.csv EXPECTED.json
    publish_with_python.py MODELS onnx ROWS.csv EXPECTED.json     (needs the onnx and numpy packages)
    publish_with_python.py MODELS wrong-checksum

The ONNX model is a small network built with onnx.helper (another tool than the job's own export):
features [batch, 3] -> MatMul -> Add -> Tanh -> MatMul -> Add -> Sigmoid -> probability [batch, 1].
"""

import json
import os
import sys

sys.path.insert(0, os.environ["MODELCAST_TOOLS_PYTHON"])
import modelcast_publish as mp  # noqa: E402

WEIGHTS = [0.0005, -1.25, 2.5e-7]  # numbers Java would write as 5.0E-4 and 2.5E-7
BIAS = -0.125


def rows(path):
    with open(path) as f:
        return [[float(x) for x in line.split(",")] for line in f if line.strip()]


def logistic(models, rows_path, expected_path):
    import math
    version, _ = mp.publish(models, "logistic", mp.logistic_parameters(WEIGHTS, BIAS))
    expected = [1 / (1 + math.exp(-(BIAS + sum(w * x for w, x in zip(WEIGHTS, row))))) for row in rows(rows_path)]
    return version, expected


def onnx_network(models, rows_path, expected_path):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    generator = np.random.default_rng(18)
    w1 = generator.normal(0, 0.8, (3, 8)).astype(np.float32)
    b1 = generator.normal(0, 0.1, (8,)).astype(np.float32)
    w2 = generator.normal(0, 0.8, (8, 1)).astype(np.float32)
    b2 = np.array([0.05], dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "w1"], ["h0"]),
            helper.make_node("Add", ["h0", "b1"], ["h1"]),
            helper.make_node("Tanh", ["h1"], ["h2"]),
            helper.make_node("MatMul", ["h2", "w2"], ["l0"]),
            helper.make_node("Add", ["l0", "b2"], ["logit"]),
            helper.make_node("Sigmoid", ["logit"], ["probability"]),
        ],
        "python-mlp",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 3])],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["batch", 1])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
         numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="onnx.helper")
    model.ir_version = 8
    onnx.checker.check_model(model)
    version, _ = mp.publish(models, "onnx", mp.onnx_parameters(model.SerializeToString()))

    x = np.array(rows(rows_path), dtype=np.float32)
    hidden = np.tanh(x @ w1 + b1)
    expected = 1 / (1 + np.exp(-(hidden @ w2 + b2)))
    return version, [float(v) for v in expected[:, 0]]


def main(models, kind, *rest):
    if kind == "custom":
        version, _ = mp.publish(models, "custom", mp.custom_parameters(rest[0] == "true"))
        print(version)
        return
    if kind == "wrong-checksum":
        version, _ = mp.publish(models, "custom", mp.custom_parameters(True),
                                checksum=mp.parameters_sha256(mp.custom_parameters(False)))
        print(version)
        return
    rows_path, expected_path = rest
    version, expected = (logistic if kind == "logistic" else onnx_network)(models, rows_path, expected_path)
    with open(expected_path, "w") as f:
        json.dump({"version": version, "scores": expected}, f)
    print(version)


if __name__ == "__main__":
    main(*sys.argv[1:])
