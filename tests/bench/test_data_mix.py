"""The bench's data set is drawn from the seed's department (issue [P] 2): its 2023 procedures
carried to today's successors, and draws that follow the weights."""

import json
import random

from bench import data
from motcua.demo.loaders import CATALOGUE_FILE


def test_a_replaced_procedure_passes_its_h1_share_to_its_successor():
    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    assert data._successor(doc, "LOCAL-STP-001") == "3.000333"  # replaced on 01/07/2025
    assert data._successor(doc, "2.000635") == "2.000635"  # still in force
    assert data._successor(doc, "NO-SUCH-CODE") == "NO-SUCH-CODE"


def test_draws_follow_the_cumulative_weights():
    rng = random.Random(1)
    cumulative = [76.0, 83.0, 100.0]  # weights 76, 7, 17
    counts = [0, 0, 0]
    for _ in range(20_000):
        counts[data._draw(rng, cumulative)] += 1
    assert abs(counts[0] / 20_000 - 0.76) < 0.02
    assert abs(counts[1] / 20_000 - 0.07) < 0.01
    assert abs(counts[2] / 20_000 - 0.17) < 0.02
