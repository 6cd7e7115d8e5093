#!/usr/bin/env python3
"""Publishes models for modelcast from Python: model-file format 2, standard library only.

A model file is JSON; its checksum is the SHA-256 of its parameters in the JSON Canonicalization
Scheme (RFC 8785). Publishing follows the protocol the Java fitter follows (docs/model-format.md):
under an exclusive lock on DIR/.modelcast.lock, the next version is one more than both the highest
model-<v>.json present and the number in DIR/.modelcast-last-version; that number is recorded
first, then the file is written as a hidden temporary file, synced, and renamed into place, and
DIR/model-current.json is pointed at it. So a reader (the job) sees a whole file or none, and
versions never repeat, even with the Java fitter publishing into the same directory.

As a program:
    modelcast_publish.py custom --models DIR [--name NAME] --cloned | --not-cloned
    modelcast_publish.py logistic --models DIR [--name NAME] --weights=W,W,... --bias=B [--threshold T]
    modelcast_publish.py onnx --models DIR [--name NAME] FILE.onnx [--threshold T] [--output-name NAME]
    modelcast_publish.py parameters --models DIR [--name NAME] --type TYPE FILE.json
    modelcast_publish.py canonicalize FILE.json

As a library: publish(models, model_type, parameters, name="default"), canonicalize(value),
parameters_sha256(parameters), model_file_bytes(...).

Limits: it publishes champions only (a challenger's rollout section is the Java fitter's job); it
checks the parameters' shape, not the model: the job validates and probes every file it loads and
rejects a bad one with a reason (its rejected-models output), keeping the model it has.
"""

import argparse
import base64
import datetime
import decimal
import fcntl
import hashlib
import json
import math
import os
import re
import sys

FORMAT_VERSION = 2
DEFAULT_NAME = "default"
LOCK_FILE_NAME = ".modelcast.lock"
LAST_VERSION_FILE_NAME = ".modelcast-last-version"
CURRENT_LINK_NAME = "model-current.json"
_MODEL_FILE_NAME = re.compile(r"model-([0-9]{1,18})\.json")
_MODEL_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


# --- RFC 8785 -------------------------------------------------------------------------------------

def canonicalize(value):
    """The RFC 8785 canonical form of a JSON value (dict, list, str, int, float, bool, None)."""
    out = []
    _write(value, out)
    return "".join(out)


def parameters_sha256(parameters):
    """The lowercase hex SHA-256 of the UTF-8 canonical form: a model file's parametersSha256."""
    return hashlib.sha256(canonicalize(parameters).encode("utf-8")).hexdigest()


def _write(value, out):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, (int, float)):
        out.append(number(value))
    elif isinstance(value, str):
        _write_string(value, out)
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, element in enumerate(value):
            if i:
                out.append(",")
            _write(element, out)
        out.append("]")
    elif isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ValueError("object member names must be strings, found %r" % (key,))
        out.append("{")
        # UTF-16 code units compare as big-endian UTF-16 bytes do.
        for i, key in enumerate(sorted(value, key=lambda k: _utf16(k))):
            if i:
                out.append(",")
            _write_string(key, out)
            out.append(":")
            _write(value[key], out)
        out.append("}")
    else:
        raise ValueError("%r is not a JSON value" % (value,))


def _utf16(text):
    try:
        return text.encode("utf-16-be")
    except UnicodeEncodeError:
        raise ValueError("a string holds a lone surrogate, which JSON text cannot carry: %r" % (text,))


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _write_string(text, out):
    _utf16(text)
    out.append('"')
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c < " ":
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')


def number(value):
    """A number as ECMAScript's Number.prototype.toString writes it (every number is a double).

    Python's json.dumps differs: 1e-07, 3.0, 1e+21 vs 1e-7, 3, 1e+21; so the digits come from
    repr(), which gives the shortest digits that read back (the same ECMAScript asks for), and the
    layout from ECMA-262's rules.
    """
    as_double = float(value)
    if math.isnan(as_double) or math.isinf(as_double):
        raise ValueError("%r has no JSON form; numbers must be finite" % (value,))
    if as_double == 0:
        return "0"
    sign, digit_tuple, exponent = decimal.Decimal(repr(abs(as_double))).as_tuple()
    digits = "".join(str(d) for d in digit_tuple).rstrip("0")
    exponent += len(digit_tuple) - len(digits)
    k = len(digits)
    n = k + exponent  # value = digits x 10^(n - k)
    prefix = "-" if as_double < 0 else ""
    if k <= n <= 21:
        return prefix + digits + "0" * (n - k)
    if 0 < n <= 21:
        return prefix + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return prefix + "0." + "0" * -n + digits
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return prefix + mantissa + "e" + ("+" if n - 1 >= 0 else "-") + str(abs(n - 1))


# --- model files ----------------------------------------------------------------------------------

def model_file_bytes(model_type, version, parameters, created_at=None, checksum=None):
    """A model file's bytes. checksum defaults to the parameters' own; pass another only to test readers."""
    if created_at is None:
        created_at = datetime.datetime.now(datetime.timezone.utc)
    stamp = created_at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        "%03dZ" % (created_at.microsecond // 1000)
    document = {
        "formatVersion": FORMAT_VERSION,
        "type": model_type,
        "version": version,
        "createdAt": stamp,
        "parameters": parameters,
        "parametersSha256": checksum if checksum is not None else parameters_sha256(parameters),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def custom_parameters(is_cloned):
    """The seed's model: transform(7) is "070707" when cloned, "07" when not."""
    return {"isCloned": bool(is_cloned)}


def logistic_parameters(weights, bias, threshold=0.5):
    """A logistic regression: score = sigmoid(bias + sum(weights[i] * features[i]))."""
    weights = [float(w) for w in weights]
    if not weights:
        raise ValueError("a logistic model needs at least one weight")
    return {"featureCount": len(weights), "weights": weights, "bias": float(bias), "threshold": float(threshold)}


def onnx_parameters(onnx_bytes, threshold=0.5, output_name=None):
    """An ONNX binary classifier: one float input [batch, features], a float output of probabilities."""
    if not onnx_bytes:
        raise ValueError("the ONNX model is empty")
    parameters = {"onnx": base64.b64encode(onnx_bytes).decode("ascii"), "threshold": float(threshold)}
    if output_name is not None:
        parameters["outputName"] = output_name
    return parameters


# --- publishing -----------------------------------------------------------------------------------

def model_directory(models, name=DEFAULT_NAME):
    """Where a name's versions live: the models directory itself for "default", else models/NAME."""
    if not _MODEL_NAME.fullmatch(name):
        raise ValueError("model name %r must match [a-z0-9][a-z0-9_-]{0,63}" % (name,))
    if not os.path.isdir(models):
        raise FileNotFoundError("models directory %s does not exist (create it first)" % models)
    if name == DEFAULT_NAME:
        return models
    directory = os.path.join(models, name)
    os.makedirs(directory, exist_ok=True)
    return directory


def publish(models, model_type, parameters, name=DEFAULT_NAME, checksum=None):
    """Publishes the next version of a name; returns (version, path of the new file)."""
    directory = model_directory(models, name)
    with open(os.path.join(directory, LOCK_FILE_NAME), "a") as lock:
        # fcntl locks: the same kind Java's FileChannel.lock takes on Linux, so they exclude each other.
        fcntl.lockf(lock, fcntl.LOCK_EX)
        try:
            version = _last_version(directory) + 1
            content = model_file_bytes(model_type, version, parameters, checksum=checksum)
            file_name = "model-%d.json" % version
            # The number first: if the file were deleted at once, its number must still never come back.
            _write_atomically(directory, LAST_VERSION_FILE_NAME, ("%d\n" % version).encode("ascii"))
            _write_atomically(directory, file_name, content)
            _point_link(directory, CURRENT_LINK_NAME, file_name)
            return version, os.path.join(directory, file_name)
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


def _last_version(directory):
    highest = 0
    for entry in os.listdir(directory):
        match = _MODEL_FILE_NAME.fullmatch(entry)
        if match and os.path.isfile(os.path.join(directory, entry)) and not os.path.islink(os.path.join(directory, entry)):
            highest = max(highest, int(match.group(1)))
    recorded = os.path.join(directory, LAST_VERSION_FILE_NAME)
    if os.path.exists(recorded):
        with open(recorded, encoding="ascii") as f:
            text = f.read().strip()
        if not text.isdigit():
            raise ValueError("%s is damaged (it holds %r, not a version number)" % (recorded, text))
        highest = max(highest, int(text))
    return highest


def _write_atomically(directory, name, content):
    temp = os.path.join(directory, "." + name + ".tmp")
    with open(temp, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, os.path.join(directory, name))
    try:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is atomic anyway


def _point_link(directory, link, target):
    temp = os.path.join(directory, "." + link + ".tmp")
    if os.path.lexists(temp):
        os.remove(temp)
    os.symlink(target, temp)
    os.replace(temp, os.path.join(directory, link))


# --- command line ---------------------------------------------------------------------------------

def _numbers(text):
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a comma-separated list of numbers" % text)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="modelcast_publish.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def model_command(name, help_text):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--models", required=True, metavar="DIR", help="the models directory the job watches")
        command.add_argument("--name", default=DEFAULT_NAME, help="the model's name (default: %(default)s)")
        return command

    custom = model_command("custom", "the seed's model")
    cloned = custom.add_mutually_exclusive_group(required=True)
    cloned.add_argument("--cloned", dest="is_cloned", action="store_true")
    cloned.add_argument("--not-cloned", dest="is_cloned", action="store_false")
    logistic = model_command("logistic", "a logistic regression")
    logistic.add_argument("--weights", type=_numbers, required=True, metavar="W,W,...",
                          help="comma-separated; write --weights=-1,2 when the first is negative")
    logistic.add_argument("--bias", type=float, required=True, help="write --bias=-0.5 when negative")
    logistic.add_argument("--threshold", type=float, default=0.5)
    onnx = model_command("onnx", "an ONNX binary classifier")
    onnx.add_argument("file", metavar="FILE.onnx")
    onnx.add_argument("--threshold", type=float, default=0.5)
    onnx.add_argument("--output-name")
    raw = model_command("parameters", "any model type, parameters from a JSON file")
    raw.add_argument("--type", required=True, dest="model_type")
    raw.add_argument("file", metavar="FILE.json")
    show = commands.add_parser("canonicalize", help="print a JSON file's canonical form and its SHA-256")
    show.add_argument("file", metavar="FILE.json")
    return parser.parse_args(argv)


def main(argv=None):
    args = _arguments(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "canonicalize":
            with open(args.file, encoding="utf-8") as f:
                value = json.load(f)
            print(canonicalize(value))
            print(parameters_sha256(value))
            return 0
        if args.command == "custom":
            model_type, parameters = "custom", custom_parameters(args.is_cloned)
        elif args.command == "logistic":
            model_type, parameters = "logistic", logistic_parameters(args.weights, args.bias, args.threshold)
        elif args.command == "onnx":
            with open(args.file, "rb") as f:
                model_type, parameters = "onnx", onnx_parameters(f.read(), args.threshold, args.output_name)
        else:
            with open(args.file, encoding="utf-8") as f:
                model_type, parameters = args.model_type, json.load(f)
            if not isinstance(parameters, dict):
                raise ValueError("%s must hold a JSON object" % args.file)
        version, path = publish(args.models, model_type, parameters, args.name)
        print("published %s: version %d, %s" % (path, version, model_type))
        return 0
    except (OSError, ValueError) as e:
        print("modelcast_publish.py: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
