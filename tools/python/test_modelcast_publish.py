"""Unit tests of modelcast_publish (standard library only): python3 -m unittest test_modelcast_publish.

The build runs them (model module, PythonPublisherTest), and compares this module's canonical form
with the Java reader's over many numbers.
"""

import json
import os
import struct
import tempfile
import unittest

import modelcast_publish as mp


class CanonicalizationTest(unittest.TestCase):

    def test_the_rfcs_example(self):
        # RFC 8785, section 3.2.2.
        source = ('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
                  ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
                  ' "literals": [null, true, false]}')
        self.assertEqual(
            mp.canonicalize(json.loads(source)),
            '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')

    def test_members_sorted_by_utf16_code_units(self):
        source = '{"\\u20ac": 1, "\\r": 2, "\\ufb33": 3, "1": 4, "\\ud83d\\ude00": 5, "\\u0080": 6, "\\u00f6": 7}'
        self.assertEqual(
            mp.canonicalize(json.loads(source)),
            '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\U0001F600":5,"\ufb33":3}')

    def test_the_rfcs_number_table(self):
        table = {
            "0000000000000000": "0", "8000000000000000": "0", "0000000000000001": "5e-324",
            "8000000000000001": "-5e-324", "7fefffffffffffff": "1.7976931348623157e+308",
            "4340000000000000": "9007199254740992", "4430000000000000": "295147905179352830000",
            "44b52d02c7e14af5": "9.999999999999997e+22", "44b52d02c7e14af6": "1e+23",
            "44b52d02c7e14af7": "1.0000000000000001e+23", "444b1ae4d6e2ef4e": "999999999999999700000",
            "444b1ae4d6e2ef50": "1e+21", "3eb0c6f7a0b5ed8c": "9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d": "0.000001", "41b3de4355555554": "333333333.33333325",
            "41b3de4355555557": "333333333.33333343", "becbf647612f3696": "-0.0000033333333333333333",
            "43143ff3c1cb0959": "1424953923781206.2",
        }
        for bits, text in table.items():
            value = struct.unpack(">d", bytes.fromhex(bits))[0]
            self.assertEqual(mp.number(value), text, bits)

    def test_numbers_python_writes_differently(self):
        self.assertEqual(mp.canonicalize([0.0005, 1e-07, 3.0, 3, 1e21, -0.0, True]), "[0.0005,1e-7,3,3,1e+21,0,true]")

    def test_refuses_what_json_cannot_carry(self):
        with self.assertRaisesRegex(ValueError, "must be finite"):
            mp.canonicalize({"x": float("inf")})
        with self.assertRaisesRegex(ValueError, "lone surrogate"):
            mp.canonicalize({"x": "a\ud800b"})


class PublishTest(unittest.TestCase):

    def test_versions_only_grow_and_files_appear_whole(self):
        with tempfile.TemporaryDirectory() as models:
            first, _ = mp.publish(models, "custom", mp.custom_parameters(True))
            os.remove(os.path.join(models, "model-1.json"))
            second, path = mp.publish(models, "custom", mp.custom_parameters(False))
            self.assertEqual((first, second), (1, 2))
            self.assertEqual(os.readlink(os.path.join(models, mp.CURRENT_LINK_NAME)), "model-2.json")
            self.assertEqual(sorted(os.listdir(models)),
                             [mp.LAST_VERSION_FILE_NAME, mp.LOCK_FILE_NAME, "model-2.json", mp.CURRENT_LINK_NAME])
            with open(path, encoding="utf-8") as f:
                written = json.load(f)
            self.assertEqual(written["formatVersion"], 2)
            self.assertEqual(written["parametersSha256"], mp.parameters_sha256({"isCloned": False}))

    def test_a_named_model_lives_in_its_own_directory(self):
        with tempfile.TemporaryDirectory() as models:
            _, path = mp.publish(models, "logistic", mp.logistic_parameters([0.5, -1], 0.1), name="fraud")
            self.assertEqual(path, os.path.join(models, "fraud", "model-1.json"))
            with self.assertRaisesRegex(ValueError, "must match"):
                mp.publish(models, "custom", mp.custom_parameters(True), name="Fraud!")

    def test_the_command_line_publishes(self):
        with tempfile.TemporaryDirectory() as models:
            self.assertEqual(mp.main(["custom", "--models", models, "--cloned"]), 0)
            self.assertEqual(mp.main(["logistic", "--models", models, "--weights=-1,2e-3", "--bias=-0.5"]), 0)
            self.assertEqual(mp.main(["custom", "--models", os.path.join(models, "missing"), "--cloned"]), 1)
            self.assertTrue(os.path.isfile(os.path.join(models, "model-2.json")))


if __name__ == "__main__":
    unittest.main()
